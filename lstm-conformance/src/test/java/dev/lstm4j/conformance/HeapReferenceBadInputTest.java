package dev.lstm4j.conformance;

import dev.lstm4j.api.Backend;

/** Runs {@link BadInputConformance} on {@link HeapReferenceBackend}: checks the suite, not a backend. */
class HeapReferenceBadInputTest extends BadInputConformance {
    @Override
    protected Backend createBackend() {
        return new HeapReferenceBackend();
    }
}
