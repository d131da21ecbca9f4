package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.StateCarryConformance;

/** Runs {@link StateCarryConformance} against the cuda backend's planning on the host interpreter ({@link HostDevice}). */
class HostStateCarryTest extends StateCarryConformance {
    @Override
    protected Backend createBackend() {
        return new CudaBackend(new HostDevice());
    }
}
