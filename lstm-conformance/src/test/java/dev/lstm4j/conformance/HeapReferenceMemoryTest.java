package dev.lstm4j.conformance;

import dev.lstm4j.api.Backend;

/** Runs {@link MemoryConformance} on {@link HeapReferenceBackend}: checks the suite, not a backend. */
class HeapReferenceMemoryTest extends MemoryConformance {
    @Override
    protected Backend createBackend() {
        return new HeapReferenceBackend();
    }
}
