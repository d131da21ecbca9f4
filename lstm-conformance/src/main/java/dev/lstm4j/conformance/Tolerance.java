package dev.lstm4j.conformance;

import dev.lstm4j.api.DType;

/**
 * How far a backend's result may be from the fp64 reference. An element passes when
 * <pre>  |actual - expected| <= abs * scale + rel * |expected|,   scale = max(1, max |expected| over the tensor)</pre>
 * The scale makes {@code abs} relative to the tensor's magnitude: weight gradients sum over {@code T * B}
 * terms and grow with them, and float rounding grows with them too. NaN never passes.
 *
 * <p>The one table the suites use:
 * <table>
 *   <caption>tolerances against the fp64 reference</caption>
 *   <tr><th>dtype</th><th>forward (y, hn, cn)</th><th>gradients (dx, dh0, dc0, parameters)</th></tr>
 *   <tr><td>FLOAT64</td><td>abs 1e-10, rel 1e-10</td><td>abs 1e-9, rel 1e-9</td></tr>
 *   <tr><td>FLOAT32</td><td>abs 2e-6, rel 1e-5</td><td>abs 1e-5, rel 1e-5</td></tr>
 * </table>
 * FLOAT64: a correct fp64 backend differs from the reference only by summation order (BLAS blocking),
 * about 1e-15 relative per operation (the CPU backend stays below 5e-15), so 1e-10 leaves ample room yet
 * catches any float-precision shortcut (a sigmoid or tanh accurate to float only) in the fp64 path.
 * FLOAT32: inputs and weights are rounded to float before the reference sees them, so only float
 * arithmetic differs. One float ulp near 1 is 6e-8; the CPU backend's worst error over all suites
 * (including {@code T = 200}) is about 6e-8 in the forward pass and 3e-7 of the scale in the gradients, so
 * these bounds leave some 30x of room for other GEMM kernels and vectorised activations, and still
 * reject an activation approximation that is not accurate to float rounding, let alone a wrong gate or a
 * dropped term (errors of 1e-3 and up). Backends must not widen these; a reduced precision such as TF32
 * or BF16 needs its own row here.
 *
 * <p>{@link #gemm} is judged per element against the size of what was summed rather than the result,
 * because a GEMM result can cancel to near zero while its rounding error stays proportional to the terms:
 * {@code scale = |alpha| * sum_p |op(A)[i, p]| * |op(B)[p, j]| + |beta| * |C[i, j]|}, {@code abs} below,
 * {@code rel} 0: FLOAT64 abs 1e-12, FLOAT32 abs 1e-6. With k up to 257 in the suite, OpenBLAS's worst is
 * 3.6e-16 (FLOAT64) and 2.2e-7 (FLOAT32) of the scale: rounding errors of a blocked sum grow like
 * {@code sqrt(k)} roundings in practice, though the worst case is k of them.
 */
public record Tolerance(double abs, double rel) {

    /** For {@code y}, {@code hn}, {@code cn}. */
    public static Tolerance forward(DType dtype) {
        return switch (dtype) {
            case FLOAT64 -> new Tolerance(1e-10, 1e-10);
            case FLOAT32 -> new Tolerance(2e-6, 1e-5);
        };
    }

    /** For {@code dx}, {@code dh0}, {@code dc0} and parameter gradients. */
    public static Tolerance gradients(DType dtype) {
        return switch (dtype) {
            case FLOAT64 -> new Tolerance(1e-9, 1e-9);
            case FLOAT32 -> new Tolerance(1e-5, 1e-5);
        };
    }

    /** For {@link dev.lstm4j.api.Backend#gemm}, with a per-element scale (see the class comment). */
    public static Tolerance gemm(DType dtype) {
        return switch (dtype) {
            case FLOAT64 -> new Tolerance(1e-12, 0);
            case FLOAT32 -> new Tolerance(1e-6, 0);
        };
    }

    /** Whether {@code actual} is within tolerance of {@code expected} for a tensor of the given scale. */
    public boolean accepts(double expected, double actual, double scale) {
        return Math.abs(actual - expected) <= abs * scale + rel * Math.abs(expected);
    }

    @Override
    public String toString() {
        return "abs " + abs + " x max(1, max|expected|), rel " + rel;
    }
}
