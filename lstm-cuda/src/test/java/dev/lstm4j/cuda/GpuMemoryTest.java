package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.MemoryConformance;
import org.junit.jupiter.api.Tag;

/** Runs {@link MemoryConformance} against the cuda backend on the GPU; skipped with the probe's reason without one. */
@Tag("gpu")
class GpuMemoryTest extends MemoryConformance {
    @Override
    protected Backend createBackend() {
        return GpuBackends.create();
    }
}
