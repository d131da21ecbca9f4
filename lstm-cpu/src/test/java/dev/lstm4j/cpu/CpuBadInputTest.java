package dev.lstm4j.cpu;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.BadInputConformance;

/** Runs {@link BadInputConformance} against the CPU backend. */
class CpuBadInputTest extends BadInputConformance {
    @Override
    protected Backend createBackend() {
        return new CpuBackendProvider().create();
    }
}
