package dev.lstm4j.cpu;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Host copies of cpu tensors: whole, ranged, buffered, converting, and their bounds. */
class CpuTensorTest {
    private final CpuBackend backend = new CpuBackend();

    @AfterEach
    void nothingIsLeftAllocated() {
        assertEquals(0, backend.liveBytes());
    }

    @Test
    void newTensorsAreZeroAndReportTheirShape() {
        try (Tensor t = backend.allocate(DType.FLOAT64, 2, 3, 4)) {
            assertArrayEquals(new long[] {2, 3, 4}, t.shape());
            assertEquals(24, t.size());
            assertEquals(3, t.rank());
            assertEquals(3, t.dim(1));
            assertArrayEquals(new double[24], t.toDoubleArray());
            assertEquals(24 * 8, backend.liveBytes());
        }
    }

    @Test
    void floatAndDoubleCopiesConvertBothWays() {
        try (Tensor f = backend.tensor(new double[] {0.1, -2.5, 1e30}, 3);
             Tensor d = backend.tensor(DType.FLOAT64, new float[] {0.1f, -2.5f}, 2)) {
            assertEquals(DType.FLOAT64, f.dtype());
            assertArrayEquals(new float[] {0.1f, -2.5f, 1e30f}, f.toFloatArray());
            assertArrayEquals(new double[] {(double) 0.1f, -2.5}, d.toDoubleArray());
        }
        try (Tensor f = backend.tensor(DType.FLOAT32, new double[] {0.1, 3.0}, 2)) {
            assertArrayEquals(new double[] {(double) 0.1f, 3.0}, f.toDoubleArray());
        }
    }

    @Test
    void rangedCopiesTouchOnlyTheirRange() {
        try (Tensor t = backend.allocate(DType.FLOAT32, 10)) {
            t.copyFrom(4, new float[] {9, 1, 2, 3, 9}, 1, 3);
            float[] all = t.toFloatArray();
            assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 3, 0, 0, 0}, all);
            double[] part = new double[4];
            t.copyTo(5, part, 1, 2);
            assertArrayEquals(new double[] {0, 2, 3, 0}, part);
        }
    }

    @Test
    void bufferCopiesUseTheRemainingElements() {
        try (Tensor t = backend.allocate(DType.FLOAT32, 3)) {
            FloatBuffer in = FloatBuffer.wrap(new float[] {7, 1, 2, 3});
            in.position(1);
            t.copyFrom(in);
            assertEquals(4, in.position());
            DoubleBuffer out = DoubleBuffer.allocate(5);
            out.position(1);
            t.copyTo(out);
            assertArrayEquals(new double[] {0, 1, 2, 3, 0}, out.array());
            assertThrows(IllegalArgumentException.class, () -> t.copyTo(FloatBuffer.allocate(2)));
        }
    }

    @Test
    void outOfRangeCopiesNameTheRangeAndTheTensor() {
        try (Tensor t = backend.allocate(DType.FLOAT32, 4)) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> t.copyFrom(3, new float[2], 0, 2));
            assertTrue(e.getMessage().contains("FLOAT32[4]"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> t.copyTo(-1, new float[1], 0, 1));
            assertThrows(IndexOutOfBoundsException.class, () -> t.copyTo(0, new float[1], 1, 1));
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                    () -> t.copyFrom(new float[5]));
            assertTrue(wrong.getMessage().contains("5") && wrong.getMessage().contains("4"), wrong.getMessage());
            assertThrows(IllegalArgumentException.class, () -> backend.tensor(new float[3], 2, 2));
        }
    }

    @Test
    void fillZeroClearsEveryElement() {
        try (Tensor t = backend.tensor(new float[] {1, 2, 3, 4, 5}, 5)) {
            t.fillZero();
            assertArrayEquals(new float[5], t.toFloatArray());
        }
    }

    @Test
    void negativeOrOverflowingShapesAreRejectedBeforeAllocating() {
        assertThrows(IllegalArgumentException.class, () -> backend.allocate(DType.FLOAT32, 2, -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.allocate(DType.FLOAT32, 1L << 40, 1L << 40));
        assertTrue(e.getMessage().contains("elements"), e.getMessage());
    }
}
