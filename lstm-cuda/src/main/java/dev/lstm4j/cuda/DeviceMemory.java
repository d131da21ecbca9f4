package dev.lstm4j.cuda;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Device memory of one backend: blocks from {@link DeviceContext#malloc}, cached by size when freed and handed out
 * again lowest address first. Two reasons: {@code cudaMalloc}/{@code cudaFree} synchronise the device and cost
 * tens of microseconds, and a loop that frees and reallocates the same sizes gets the same addresses back in the
 * same order whatever order it freed them in, so its command lists repeat exactly and replay as cached CUDA
 * graphs. (Last-in first-out reuse would swap equal-size blocks freed in allocation order, and a loop with many
 * equal sizes would cycle through many address permutations, each captured anew.)
 *
 * <p>{@link #liveBytes()} counts blocks in use only; cached blocks are the backend's and are freed by
 * {@link #trim()} (also tried once before reporting a device out of memory).
 *
 * <p>Locks the context, not itself: cuDNN calls allocate workspaces while holding the context, and one lock
 * taken in one order cannot deadlock.
 */
final class DeviceMemory {
    /** Block sizes are multiples of this, which also keeps every block aligned for any dtype and vector load. */
    static final long GRANULE = 512;

    private final DeviceContext context;
    private final Map<Long, TreeSet<Long>> cached = new HashMap<>();   // block size -> free addresses
    private final Runnable onIdle;
    private long live;
    private long cachedBytes;
    private boolean caching = true;

    /** {@code onIdle} runs when caching is off (the backend is closed) and the last block comes back. */
    DeviceMemory(DeviceContext context, Runnable onIdle) {
        this.context = context;
        this.onIdle = onIdle;
    }

    /** A block of at least {@code bytes} bytes (contents undefined); {@code what} names it in errors. */
    DeviceBuffer allocate(long bytes, String what) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size " + bytes + " for " + what);
        }
        long block = Math.max(GRANULE, (bytes + GRANULE - 1) / GRANULE * GRANULE);
        synchronized (context) {
            TreeSet<Long> free = cached.get(block);
            long address;
            if (free != null && !free.isEmpty()) {
                address = free.pollFirst();
                cachedBytes -= block;
            } else {
                address = mallocOrTrim(block, what);
            }
            live += block;
            return new DeviceBuffer(this, address, bytes, block, what);
        }
    }

    private long mallocOrTrim(long block, String what) {
        try {
            return context.malloc(block);
        } catch (CudaException first) {
            if (cachedBytes == 0) {
                throw outOfMemory(block, what, first);
            }
            trim();
            try {
                return context.malloc(block);
            } catch (CudaException second) {
                throw outOfMemory(block, what, second);
            }
        }
    }

    private CudaException outOfMemory(long block, String what, CudaException e) {
        return new CudaException("allocating " + what + " (" + block + " bytes; this backend holds " + live
                + " bytes in use)", e);
    }

    void release(DeviceBuffer buffer, long address) {
        synchronized (context) {
            live -= buffer.blockBytes();
            if (caching) {
                cached.computeIfAbsent(buffer.blockBytes(), k -> new TreeSet<>()).add(address);
                cachedBytes += buffer.blockBytes();
            } else {
                context.free(address);
                if (live == 0) {
                    onIdle.run();
                }
            }
        }
    }

    /** Frees every cached block. */
    void trim() {
        synchronized (context) {
            for (TreeSet<Long> free : cached.values()) {
                for (long address : free) {
                    context.free(address);
                }
            }
            cached.clear();
            cachedBytes = 0;
        }
    }

    /** Stops caching, frees the cache, and runs {@code onIdle} now if nothing is in use, else when the last block returns. */
    void shutDown() {
        synchronized (context) {
            caching = false;
            trim();
            if (live == 0) {
                onIdle.run();
            }
        }
    }

    long liveBytes() {
        synchronized (context) {
            return live;
        }
    }

    long cachedBytes() {
        synchronized (context) {
            return cachedBytes;
        }
    }
}
