package dev.lstm4j.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Native buffers taken for one call and given back together, to the Rnn's {@link WorkspacePool}: on
 * success for scratch, or on failure for everything taken so far, so that an exception mid-call leaks
 * nothing.
 */
final class Allocations implements AutoCloseable {
    private final WorkspacePool pool;
    private final List<NativeBuffer> buffers = new ArrayList<>();

    Allocations(WorkspacePool pool) {
        this.pool = pool;
    }

    /** A new, empty set of allocations from the same pool. */
    Allocations sibling() {
        return new Allocations(pool);
    }

    /** Memory with undefined contents: callers overwrite every element before reading it. */
    NativeBuffer allocate(long elements, String what) {
        NativeBuffer b = pool.take(elements, what);
        buffers.add(b);
        return b;
    }

    /** Hands the buffers over to a new owner (a reserve): close() will no longer give them back. */
    List<NativeBuffer> release() {
        List<NativeBuffer> owned = new ArrayList<>(buffers);
        buffers.clear();
        return owned;
    }

    @Override
    public void close() {
        buffers.forEach(pool::give);
        buffers.clear();
    }
}
