package dev.lstm4j.cpu;

import dev.lstm4j.api.DType;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Native buffers that one {@link CpuLstm} keeps between calls. Fresh memory costs page faults on first
 * touch (measured here: 21 ms to first touch 52 MB, 5 ms to touch it again), which is 5-10% of a large
 * LSTM step; reusing the previous call's workspaces and reserves avoids it.
 *
 * <p>Buffers match by exact element count, since shapes usually repeat from call to call. At most
 * {@link #CAPACITY} buffers are kept (the oldest is freed first), so a stream of varying shapes cannot
 * grow it without bound. Everything is freed when the owning Rnn is closed; buffers given back after that
 * are freed at once.
 */
final class WorkspacePool implements AutoCloseable {
    static final int CAPACITY = 32;

    private final CpuBackend backend;
    private final DType dtype;
    private final ArrayDeque<NativeBuffer> free = new ArrayDeque<>();  // oldest first
    private boolean closed;

    WorkspacePool(CpuBackend backend, DType dtype) {
        this.backend = backend;
        this.dtype = dtype;
    }

    /** A buffer of exactly {@code elements} elements with undefined contents, reused when one is free. */
    synchronized NativeBuffer take(long elements, String what) {
        for (Iterator<NativeBuffer> it = free.descendingIterator(); it.hasNext(); ) {
            NativeBuffer b = it.next();
            if (b.elements() == elements) {
                it.remove();
                return b;
            }
        }
        return backend.allocateBuffer(dtype, elements, what);
    }

    /** Takes a buffer back for later calls (or frees it when the pool is closed or full). */
    synchronized void give(NativeBuffer buffer) {
        if (buffer.isClosed()) {
            return;
        }
        if (closed) {
            buffer.close();
            return;
        }
        free.addLast(buffer);
        while (free.size() > CAPACITY) {
            free.removeFirst().close();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        free.forEach(NativeBuffer::close);
        free.clear();
    }
}
