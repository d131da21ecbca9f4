package dev.lstm4j.cpu;

import dev.lstm4j.api.DType;
import org.bytedeco.javacpp.Pointer;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The native memory of one backend instance: the bytes in use ({@link #live()}, so that tests can prove that
 * every allocation was freed), and a cache of freed large blocks for reuse by size.
 *
 * <p>Why a cache: a training step allocates and frees the same large temporaries every step. glibc serves
 * such blocks by mmap or returns them to the system when the heap's top is freed, so each step would fault
 * in and zero every page of them again, which measured 5% of a large language-model step. Blocks under
 * {@link #MIN_CACHED_BYTES} are left to malloc, which serves them from its own free lists. The cache holds
 * at most its limit; it is emptied when an allocation fails and when the backend closes, after which
 * freed blocks go straight back.
 */
final class HostMemory {
    /** Smallest block kept for reuse. */
    static final long MIN_CACHED_BYTES = 256 << 10;

    private final AtomicLong live = new AtomicLong();
    private final long cacheLimit;
    private final Map<Key, ArrayDeque<Pointer>> free = new HashMap<>();
    private long cached;
    private boolean closed;

    /** A block's dtype and element count: a reused pointer must be of the dtype's class and size. */
    private record Key(DType dtype, long count) {
    }

    HostMemory(long cacheLimit) {
        if (cacheLimit < 0) {
            throw new IllegalArgumentException("cache limit must be >= 0 bytes, got " + cacheLimit);
        }
        this.cacheLimit = cacheLimit;
    }

    void allocated(long bytes) {
        live.addAndGet(bytes);
    }

    void freed(long bytes) {
        live.addAndGet(-bytes);
    }

    /** Bytes in use: allocated and not yet freed (cached blocks are not in use). */
    long live() {
        return live.get();
    }

    /** Bytes of freed blocks held for reuse. */
    synchronized long cached() {
        return cached;
    }

    /** A cached block of {@code count} elements of {@code dtype} (its contents stale), or null if none. */
    synchronized Pointer take(DType dtype, long count) {
        ArrayDeque<Pointer> blocks = free.get(new Key(dtype, count));
        Pointer p = blocks == null ? null : blocks.poll();
        if (p != null) {
            cached -= count * dtype.byteSize();
        }
        return p;
    }

    /**
     * Keeps a freed block of {@code count} elements for reuse and returns true, or returns false (the caller frees
     * it) when the block is small, would overfill the cache, or the backend is closed.
     */
    synchronized boolean keep(DType dtype, long count, Pointer block) {
        long bytes = count * dtype.byteSize();
        if (closed || bytes < MIN_CACHED_BYTES || cached + bytes > cacheLimit) {
            return false;
        }
        free.computeIfAbsent(new Key(dtype, count), k -> new ArrayDeque<>()).push(block);
        cached += bytes;
        return true;
    }

    /** Frees every cached block (when an allocation fails: the cache must not cause an out-of-memory error). */
    synchronized void trim() {
        free.values().forEach(blocks -> blocks.forEach(Pointer::close));
        free.clear();
        cached = 0;
    }

    /** Frees every cached block; blocks freed from now on are released at once. */
    synchronized void close() {
        closed = true;
        trim();
    }
}
