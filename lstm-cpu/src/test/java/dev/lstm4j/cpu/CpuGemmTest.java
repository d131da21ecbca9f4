package dev.lstm4j.cpu;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.GemmConformance;

/** Runs {@link GemmConformance} against the CPU backend. */
class CpuGemmTest extends GemmConformance {
    @Override
    protected Backend createBackend() {
        return new CpuBackendProvider().create();
    }
}
