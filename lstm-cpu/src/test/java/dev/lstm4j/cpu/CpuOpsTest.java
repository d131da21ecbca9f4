package dev.lstm4j.cpu;

import dev.lstm4j.api.Backend;
import dev.lstm4j.conformance.OpsConformance;

/** Runs {@link OpsConformance} against the CPU backend. */
class CpuOpsTest extends OpsConformance {
    @Override
    protected Backend createBackend() {
        return new CpuBackendProvider().create();
    }
}
