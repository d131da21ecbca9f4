package dev.lstm4j.cpu;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.VariableLengthConformance;

/** Runs {@link VariableLengthConformance} against the CPU backend. */
class CpuVariableLengthTest extends VariableLengthConformance {
    @Override
    protected Backend createBackend() {
        return new CpuBackendProvider().create();
    }
}
