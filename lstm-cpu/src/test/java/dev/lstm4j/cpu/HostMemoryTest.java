package dev.lstm4j.cpu;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CPU backend's cache of freed blocks: what it keeps, what it hands back, and that reuse is invisible. */
class HostMemoryTest {
    private static final long LARGE = HostMemory.MIN_CACHED_BYTES / 4;   // floats in a block just large enough

    @Test
    void keepsLargeBlocksAndHandsThemBackBySizeAndDType() {
        HostMemory memory = new HostMemory(1 << 30);
        Pointer block = new FloatPointer(LARGE);
        assertTrue(memory.keep(DType.FLOAT32, LARGE, block));
        assertEquals(LARGE * 4, memory.cached());
        assertNull(memory.take(DType.FLOAT64, LARGE / 2), "another dtype of the same bytes is another key");
        assertNull(memory.take(DType.FLOAT32, LARGE + 1));
        assertSame(block, memory.take(DType.FLOAT32, LARGE));
        assertEquals(0, memory.cached());
        assertNull(memory.take(DType.FLOAT32, LARGE));
        block.close();
    }

    @Test
    void refusesSmallBlocksBlocksOverTheLimitAndAnythingAfterClose() {
        HostMemory memory = new HostMemory(LARGE * 4 + 100);
        try (Pointer small = new FloatPointer(LARGE - 1); Pointer second = new FloatPointer(LARGE)) {
            assertFalse(memory.keep(DType.FLOAT32, LARGE - 1, small), "under the smallest cached size");
            assertTrue(memory.keep(DType.FLOAT32, LARGE, new FloatPointer(LARGE)));
            assertFalse(memory.keep(DType.FLOAT32, LARGE, second), "a second block would pass the limit");
            memory.close();
            assertEquals(0, memory.cached(), "close frees what was cached");
            assertFalse(memory.keep(DType.FLOAT32, LARGE, second), "a closed backend keeps nothing");
        }
        assertThrows(IllegalArgumentException.class, () -> new HostMemory(-1));
    }

    @Test
    void aReusedBlockIsZeroedWhenAllocatedAndCountsAsLiveOnlyWhileInUse() {
        CpuBackend backend = new CpuBackend();
        try {
            int n = (int) LARGE * 3;
            float[] ones = new float[n];
            Arrays.fill(ones, 1f);
            Tensor filled = backend.tensor(ones, n);
            filled.close();
            assertEquals(0, backend.liveBytes());
            assertEquals(n * 4L, backend.cachedBytes(), "a freed large block is kept");
            try (Tensor zeros = backend.allocate(DType.FLOAT32, n)) {
                assertEquals(0, backend.cachedBytes(), "and handed out again");
                assertEquals(n * 4L, backend.liveBytes());
                assertArrayEquals(new float[n], zeros.toFloatArray(), "allocate zeroes a reused block");
            }
        } finally {
            backend.close();
        }
        assertEquals(0, backend.cachedBytes(), "closing the backend empties its cache");
    }
}
