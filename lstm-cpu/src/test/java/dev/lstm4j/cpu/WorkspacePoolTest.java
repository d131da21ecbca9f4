package dev.lstm4j.cpu;

import dev.lstm4j.api.DType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkspacePoolTest {
    private final CpuBackend backend = new CpuBackend();

    @AfterEach
    void nothingIsLeftAllocated() {
        assertEquals(0, backend.liveBytes());
    }

    @Test
    void bufferGivenBackIsReusedForTheSameSize() {
        try (WorkspacePool pool = new WorkspacePool(backend, DType.FLOAT32)) {
            NativeBuffer first = pool.take(100, "a");
            pool.give(first);
            assertSame(first, pool.take(100, "b"));
            NativeBuffer other = pool.take(100, "c");
            assertNotSame(first, other);
            pool.give(first);
            pool.give(other);
            assertEquals(800, backend.liveBytes());
        }
    }

    @Test
    void otherSizeGetsAFreshBuffer() {
        try (WorkspacePool pool = new WorkspacePool(backend, DType.FLOAT64)) {
            NativeBuffer small = pool.take(10, "a");
            pool.give(small);
            NativeBuffer large = pool.take(11, "b");
            assertNotSame(small, large);
            assertEquals(11, large.elements());
            pool.give(large);
        }
    }

    @Test
    void atMostCapacityBuffersAreKeptAndTheOldestGoFirst() {
        try (WorkspacePool pool = new WorkspacePool(backend, DType.FLOAT32)) {
            NativeBuffer[] buffers = new NativeBuffer[WorkspacePool.CAPACITY + 8];
            for (int k = 0; k < buffers.length; k++) {
                buffers[k] = pool.take(k + 1, "buffer " + k);
            }
            for (NativeBuffer b : buffers) {
                pool.give(b);
            }
            for (int k = 0; k < 8; k++) {
                assertTrue(buffers[k].isClosed(), "buffer " + k + " should have been evicted");
            }
            assertTrue(!buffers[8].isClosed());
            long kept = 0;
            for (int k = 8; k < buffers.length; k++) {
                kept += 4L * (k + 1);
            }
            assertEquals(kept, backend.liveBytes());
        }
    }

    @Test
    void closingFreesEverythingAndLaterGiftsAreFreedAtOnce() {
        WorkspacePool pool = new WorkspacePool(backend, DType.FLOAT32);
        NativeBuffer kept = pool.take(64, "kept");
        NativeBuffer outstanding = pool.take(32, "outstanding");
        pool.give(kept);
        pool.close();
        assertTrue(kept.isClosed());
        assertEquals(128, backend.liveBytes());
        pool.give(outstanding);
        assertTrue(outstanding.isClosed());
    }
}
