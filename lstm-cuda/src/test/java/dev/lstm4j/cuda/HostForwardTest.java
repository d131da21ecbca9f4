package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.ForwardConformance;

/** Runs {@link ForwardConformance} against the cuda backend's planning on the host interpreter ({@link HostDevice}). */
class HostForwardTest extends ForwardConformance {
    @Override
    protected Backend createBackend() {
        return new CudaBackend(new HostDevice());
    }
}
