package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.VariableLengthConformance;
import org.junit.jupiter.api.Tag;

/** Runs {@link VariableLengthConformance} against the cuda backend on the GPU; skipped with the probe's reason without one. */
@Tag("gpu")
class GpuVariableLengthTest extends VariableLengthConformance {
    @Override
    protected Backend createBackend() {
        return GpuBackends.create();
    }
}
