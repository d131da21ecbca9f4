package dev.lstm4j.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Native buffers allocated for one call, freed together: on success for scratch, or on failure for
 * everything allocated so far, so that an exception mid-call leaks nothing.
 */
final class Allocations implements AutoCloseable {
    private final CpuBackend backend;
    private final CpuPrecision precision;
    private final List<NativeBuffer> buffers = new ArrayList<>();

    Allocations(CpuBackend backend, CpuPrecision precision) {
        this.backend = backend;
        this.precision = precision;
    }

    /** A new, empty set of allocations on the same backend and dtype. */
    Allocations sibling() {
        return new Allocations(backend, precision);
    }

    /** Memory with undefined contents: callers overwrite every element before reading it. */
    NativeBuffer allocate(long elements, String what) {
        NativeBuffer b = backend.allocateBuffer(precision.dtype(), elements, what);
        buffers.add(b);
        return b;
    }

    /** Hands the buffers over to a new owner: close() will no longer free them. */
    List<NativeBuffer> release() {
        List<NativeBuffer> owned = new ArrayList<>(buffers);
        buffers.clear();
        return owned;
    }

    @Override
    public void close() {
        for (NativeBuffer b : buffers) {
            b.close();
        }
        buffers.clear();
    }
}
