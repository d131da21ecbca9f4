package dev.lstm4j.cuda;

import dev.lstm4j.api.DType;

import java.util.List;

/**
 * One unit of device work on the backend's stream, as a value: device addresses and sizes only, no handles.
 * The recurrent operations are planned as lists of commands, so that a {@link DeviceContext} can run them
 * directly, capture them once into a CUDA graph keyed by the list itself (equal lists do identical work), or
 * interpret them on the host in tests.
 */
sealed interface Command {

    /**
     * Row-major {@code C[m, n] = alpha * op(A) · op(B) + beta * C} with leading dimensions in elements; with
     * {@code beta == 0} C is not read.
     */
    record Gemm(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha, long a, int lda,
                long b, int ldb, double beta, long c, int ldc) implements Command {
    }

    /** A kernel of the lstm4j kernel source, by entry-point name, on a {@code gridX x gridY} grid of 1-D blocks. */
    record Launch(String kernel, int gridX, int gridY, int blockX, List<KernelArg> args) implements Command {
        public Launch {
            args = List.copyOf(args);
        }
    }

    /** Device-to-device copy of {@code bytes}. */
    record Copy(long dst, long src, long bytes) implements Command {
    }

    /** Device-to-device copy of {@code rows} rows of {@code widthBytes}, rows {@code dstPitch} / {@code srcPitch} apart. */
    record Copy2D(long dst, long dstPitch, long src, long srcPitch, long widthBytes, long rows) implements Command {
    }

    /** Sets {@code bytes} bytes to zero. */
    record Zero(long dst, long bytes) implements Command {
    }
}
