package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.VariableLengthConformance;

/** Runs {@link VariableLengthConformance} against the cuda backend's planning on the host interpreter ({@link HostDevice}). */
class HostVariableLengthTest extends VariableLengthConformance {
    @Override
    protected Backend createBackend() {
        return new CudaBackend(new HostDevice());
    }
}
