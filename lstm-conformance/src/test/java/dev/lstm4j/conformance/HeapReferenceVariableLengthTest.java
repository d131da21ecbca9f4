package dev.lstm4j.conformance;

import dev.lstm4j.api.Backend;

/** Runs {@link VariableLengthConformance} on {@link HeapReferenceBackend}: checks the suite, not a backend. */
class HeapReferenceVariableLengthTest extends VariableLengthConformance {
    @Override
    protected Backend createBackend() {
        return new HeapReferenceBackend();
    }
}
