package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import org.junit.jupiter.api.Tag;

/** {@link TrainingParity} on the GPU; skipped with the probe's reason without one. */
@Tag("gpu")
class GpuTrainingParityTest extends TrainingParity {
    @Override
    protected Backend createBackend() {
        return GpuBackends.create();
    }
}
