package dev.lstm4j.conformance;

import dev.lstm4j.api.Backend;

/** Runs {@link BackwardConformance} on {@link HeapReferenceBackend}: checks the suite, not a backend. */
class HeapReferenceBackwardTest extends BackwardConformance {
    @Override
    protected Backend createBackend() {
        return new HeapReferenceBackend();
    }
}
