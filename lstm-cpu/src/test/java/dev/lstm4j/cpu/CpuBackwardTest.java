package dev.lstm4j.cpu;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.BackwardConformance;

/** Runs {@link BackwardConformance} against the CPU backend. */
class CpuBackwardTest extends BackwardConformance {
    @Override
    protected Backend createBackend() {
        return new CpuBackendProvider().create();
    }
}
