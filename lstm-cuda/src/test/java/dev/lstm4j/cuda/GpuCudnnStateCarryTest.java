package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.StateCarryConformance;
import org.junit.jupiter.api.Tag;

/** Runs {@link StateCarryConformance} against the cuda backend's cuDNN path; skipped with the probe's reason without a GPU. */
@Tag("gpu")
class GpuCudnnStateCarryTest extends StateCarryConformance {
    @Override
    protected Backend createBackend() {
        return GpuBackends.create(new CudaOptions(false, true, true));
    }

    @Override
    protected String cellUnsupported(dev.lstm4j.api.CellType cell) {
        return cell == dev.lstm4j.api.CellType.LSTM ? null : "cuDNN has no " + cell + "; the cuDNN path refuses it";
    }

    @Override
    protected String projectionUnsupported() {
        return "the cuda backend does not run projection yet";
    }
}
