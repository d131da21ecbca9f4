package dev.lstm4j.cpu;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.StateCarryConformance;

/** Runs {@link StateCarryConformance} against the CPU backend. */
class CpuStateCarryTest extends StateCarryConformance {
    @Override
    protected Backend createBackend() {
        return new CpuBackendProvider().create();
    }
}
