package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.OpsConformance;

/** Runs {@link OpsConformance} against the cuda backend on the host interpreter ({@link HostDevice}). */
class HostOpsTest extends OpsConformance {
    @Override
    protected Backend createBackend() {
        return new CudaBackend(new HostDevice());
    }
}
