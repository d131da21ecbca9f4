package dev.lstm4j.conformance;

import dev.lstm4j.api.Backend;

/** Runs {@link ForwardConformance} on {@link HeapReferenceBackend}: checks the suite, not a backend. */
class HeapReferenceForwardTest extends ForwardConformance {
    @Override
    protected Backend createBackend() {
        return new HeapReferenceBackend();
    }
}
