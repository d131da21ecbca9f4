package dev.lstm4j.conformance;

import dev.lstm4j.api.Backend;

/** Runs {@link GemmConformance} on {@link HeapReferenceBackend}: checks the suite, not a backend. */
class HeapReferenceGemmTest extends GemmConformance {
    @Override
    protected Backend createBackend() {
        return new HeapReferenceBackend();
    }
}
