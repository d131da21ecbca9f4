package dev.lstm4j.conformance;

import dev.lstm4j.api.Backend;

/** Runs {@link OpsConformance} against the heap reference backend, i.e. Backend's host-copy defaults. */
class HeapReferenceOpsTest extends OpsConformance {
    @Override
    protected Backend createBackend() {
        return new HeapReferenceBackend();
    }
}
