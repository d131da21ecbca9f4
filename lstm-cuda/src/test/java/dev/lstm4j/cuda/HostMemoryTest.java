package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.MemoryConformance;

/** Runs {@link MemoryConformance} against the cuda backend's planning on the host interpreter ({@link HostDevice}). */
class HostMemoryTest extends MemoryConformance {
    @Override
    protected Backend createBackend() {
        return new CudaBackend(new HostDevice());
    }
}
