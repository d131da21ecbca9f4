package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.GemmConformance;

/** Runs {@link GemmConformance} against the cuda backend's planning on the host interpreter ({@link HostDevice}). */
class HostGemmTest extends GemmConformance {
    @Override
    protected Backend createBackend() {
        return new CudaBackend(new HostDevice());
    }

    @Override
    protected String cellUnsupported(dev.lstm4j.api.CellType cell) {
        return cell == dev.lstm4j.api.CellType.GRU ? "the cuda backend does not run the GRU yet" : null;
    }
}
