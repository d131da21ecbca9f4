package dev.lstm4j.conformance;

import dev.lstm4j.api.Backend;

/** Runs {@link StateCarryConformance} on {@link HeapReferenceBackend}: checks the suite, not a backend. */
class HeapReferenceStateCarryTest extends StateCarryConformance {
    @Override
    protected Backend createBackend() {
        return new HeapReferenceBackend();
    }
}
