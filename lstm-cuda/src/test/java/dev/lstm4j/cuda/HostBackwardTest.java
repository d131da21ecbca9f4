package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.BackwardConformance;

/** Runs {@link BackwardConformance} against the cuda backend's planning on the host interpreter ({@link HostDevice}). */
class HostBackwardTest extends BackwardConformance {
    @Override
    protected Backend createBackend() {
        return new CudaBackend(new HostDevice());
    }
}
