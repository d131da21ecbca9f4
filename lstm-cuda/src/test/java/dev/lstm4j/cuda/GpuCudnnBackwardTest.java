package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.BackwardConformance;
import org.junit.jupiter.api.Tag;

/** Runs {@link BackwardConformance} against the cuda backend's cuDNN path; skipped with the probe's reason without a GPU. */
@Tag("gpu")
class GpuCudnnBackwardTest extends BackwardConformance {
    @Override
    protected Backend createBackend() {
        return GpuBackends.create(new CudaOptions(false, true, true));
    }

    @Override
    protected String cellUnsupported(dev.lstm4j.api.CellType cell) {
        return cell == dev.lstm4j.api.CellType.LSTM ? null : "cuDNN has no " + cell + "; the cuDNN path refuses it";
    }

    @Override
    protected String dropoutTrainingUnsupported() {
        return "cuDNN draws its own dropout mask, not lstm4j's DropoutMask; the cuDNN path refuses such training";
    }

    @Override
    protected String projectionUnsupported() {
        return "the cuda backend does not run projection yet";
    }
}
