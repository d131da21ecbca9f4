package dev.lstm4j.cpu;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.MemoryConformance;

/** Runs {@link MemoryConformance} against the CPU backend. */
class CpuMemoryTest extends MemoryConformance {
    @Override
    protected Backend createBackend() {
        return new CpuBackendProvider().create();
    }
}
