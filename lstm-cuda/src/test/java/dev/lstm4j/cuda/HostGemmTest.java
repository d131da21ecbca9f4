package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.GemmConformance;

/** Runs {@link GemmConformance} against the cuda backend's planning on the host interpreter ({@link HostDevice}). */
class HostGemmTest extends GemmConformance {
    @Override
    protected Backend createBackend() {
        return new CudaBackend(new HostDevice());
    }
}
