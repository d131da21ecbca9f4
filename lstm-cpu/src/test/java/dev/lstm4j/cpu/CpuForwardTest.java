package dev.lstm4j.cpu;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.ForwardConformance;

/** Runs {@link ForwardConformance} against the CPU backend. */
class CpuForwardTest extends ForwardConformance {
    @Override
    protected Backend createBackend() {
        return new CpuBackendProvider().create();
    }
}
