package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.BadInputConformance;

/** Runs {@link BadInputConformance} against the cuda backend's planning on the host interpreter ({@link HostDevice}). */
class HostBadInputTest extends BadInputConformance {
    @Override
    protected Backend createBackend() {
        return new CudaBackend(new HostDevice());
    }
}
