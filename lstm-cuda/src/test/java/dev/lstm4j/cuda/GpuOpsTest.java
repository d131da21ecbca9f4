package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.OpsConformance;
import org.junit.jupiter.api.Tag;

/** Runs {@link OpsConformance} against the cuda backend on the GPU; skipped with the probe's reason without one. */
@Tag("gpu")
class GpuOpsTest extends OpsConformance {
    @Override
    protected Backend createBackend() {
        return GpuBackends.create();
    }
}
