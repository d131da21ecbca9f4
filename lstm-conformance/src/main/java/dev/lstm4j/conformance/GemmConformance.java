package dev.lstm4j.conformance;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;

import static dev.lstm4j.conformance.Checks.assertThrowsMentioning;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Backend#gemm} against a plain fp64 triple loop: {@code C = alpha * op(A) · op(B) + beta * C} for
 * odd sizes, every transpose combination, several alpha and beta, the BLAS rule that {@code beta == 0}
 * ignores C's old contents (NaN included), {@code k == 0}, and the argument checks. Results must lie
 * within {@link Tolerance#gemm}; A and B must come back unchanged, and a rejected call must leave C as it
 * was.
 */
public abstract class GemmConformance extends ConformanceSuite {

    /** One call: sizes, transposes and scalars. {@code op(A)} is {@code [m, k]}, {@code op(B)} {@code [k, n]}. */
    private record Call(int m, int n, int k, boolean transA, boolean transB, double alpha, double beta) {
        long[] aShape() {
            return transA ? new long[] {k, m} : new long[] {m, k};
        }

        long[] bShape() {
            return transB ? new long[] {n, k} : new long[] {k, n};
        }

        /** {@code op(A)[i, p]} of a row-major A. */
        double a(double[] a, int i, int p) {
            return transA ? a[p * m + i] : a[i * k + p];
        }

        /** {@code op(B)[p, j]} of a row-major B. */
        double b(double[] b, int p, int j) {
            return transB ? b[j * k + p] : b[p * n + j];
        }
    }

    /** The expected C and, per element, the magnitude its rounding error is measured against. */
    private record Expected(double[] c, double[] scale) {
    }

    /** Written from the definition, independently of any backend; {@code beta == 0} never reads C. */
    private static Expected reference(Call call, double[] a, double[] b, double[] c) {
        double[] out = new double[call.m() * call.n()];
        double[] scale = new double[out.length];
        for (int i = 0; i < call.m(); i++) {
            for (int j = 0; j < call.n(); j++) {
                double sum = 0;
                double magnitude = 0;
                for (int p = 0; p < call.k(); p++) {
                    double term = call.a(a, i, p) * call.b(b, p, j);
                    sum += term;
                    magnitude += Math.abs(term);
                }
                int ij = i * call.n() + j;
                double old = call.beta() == 0 ? 0 : call.beta() * c[ij];
                out[ij] = call.alpha() * sum + old;
                scale[ij] = Math.abs(call.alpha()) * magnitude + Math.abs(old);
            }
        }
        return new Expected(out, scale);
    }

    private static double[] values(int n, long seed, DType dtype) {
        return HostArrays.representable(HostArrays.uniform(n, seed), dtype);
    }

    /** Runs {@code call} on the backend with C first holding {@code c0} and compares with the reference. */
    private void assertGemmMatchesReference(DType dtype, Call call, double[] c0) {
        assumeSupported(dtype);
        double[] a = values(call.m() * call.k(), 11, dtype);
        double[] b = values(call.k() * call.n(), 12, dtype);
        Expected expected = reference(call, a, b, c0);
        try (Tensor ta = backend().tensor(dtype, a, call.aShape());
             Tensor tb = backend().tensor(dtype, b, call.bShape());
             Tensor tc = backend().tensor(dtype, c0, call.m(), call.n())) {
            backend().gemm(call.transA(), call.transB(), call.alpha(), ta, tb, call.beta(), tc);
            backend().synchronize();
            assertWithinTolerance(call + " in " + dtype, expected, tc.toDoubleArray(), Tolerance.gemm(dtype));
            assertArrayEquals(a, ta.toDoubleArray(), "gemm must not modify A");
            assertArrayEquals(b, tb.toDoubleArray(), "gemm must not modify B");
        }
    }

    private void assertGemmMatchesReference(DType dtype, Call call) {
        assertGemmMatchesReference(dtype, call, values(call.m() * call.n(), 13, dtype));
    }

    private static void assertWithinTolerance(String what, Expected expected, double[] actual, Tolerance tol) {
        assertEquals(expected.c().length, actual.length, what + ": number of elements");
        int bad = 0;
        int worst = -1;
        double worstRatio = -1;
        for (int ij = 0; ij < actual.length; ij++) {
            if (!tol.accepts(expected.c()[ij], actual[ij], expected.scale()[ij])) {
                double ratio = Math.abs(actual[ij] - expected.c()[ij]) / expected.scale()[ij];
                bad++;
                if (worst < 0 || !(ratio <= worstRatio)) {   // NaN counts as worst
                    worst = ij;
                    worstRatio = ratio;
                }
            }
        }
        if (bad > 0) {
            fail(String.format(Locale.ROOT, "%s: %d of %d elements differ by more than %.3g x scale, where scale ="
                            + " |alpha| sum|a||b| + |beta c|; worst at index %d: expected %.17g, got %.17g, scale %.3g",
                    what, bad, actual.length, tol.abs(), worst, expected.c()[worst], actual[worst],
                    expected.scale()[worst]));
        }
    }

    static Stream<Arguments> sizesAndTransposes() {
        // The square case catches an ignored transpose flag, which in the others would misread memory instead.
        int[][] sizes = {{1, 1, 1}, {7, 13, 5}, {16, 16, 16}, {33, 17, 65}, {67, 129, 257}};
        Stream.Builder<Arguments> cases = Stream.builder();
        for (DType dtype : DType.values()) {
            for (int[] s : sizes) {
                for (boolean transA : new boolean[] {false, true}) {
                    for (boolean transB : new boolean[] {false, true}) {
                        cases.add(Arguments.of(dtype, s[0], s[1], s[2], transA, transB));
                    }
                }
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3} transA={4} transB={5}")
    @MethodSource("sizesAndTransposes")
    void productMatchesFp64ForOddSizesAndEveryTransposeCombination(DType dtype, int m, int n, int k,
                                                                    boolean transA, boolean transB) {
        assertGemmMatchesReference(dtype, new Call(m, n, k, transA, transB, 1, 0));
    }

    @ParameterizedTest(name = "alpha={0} beta={1}")
    @CsvSource({"1, 1", "-0.75, 1.5", "2.5, -1", "0, 2", "1, 0.5", "0.5, 0"})
    void alphaScalesTheProductAndBetaTheOldC(double alpha, double beta) {
        for (DType dtype : backend().supportedDTypes()) {
            assertGemmMatchesReference(dtype, new Call(7, 13, 5, false, true, alpha, beta));
            assertGemmMatchesReference(dtype, new Call(33, 17, 65, true, false, alpha, beta));
        }
    }

    /**
     * BLAS semantics: with {@code beta == 0} C is written, not read, so NaN and infinities in the output
     * buffer (uninitialised memory, a previous overflow) do not reach the result.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    void betaZeroIgnoresNaNAndInfinityInTheOldC(DType dtype) {
        for (double poison : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            for (int[] s : new int[][] {{1, 1, 1}, {7, 13, 5}, {33, 17, 65}}) {
                double[] c0 = new double[s[0] * s[1]];
                Arrays.fill(c0, poison);
                assertGemmMatchesReference(dtype, new Call(s[0], s[1], s[2], false, false, 1, 0), c0);
                assertGemmMatchesReference(dtype, new Call(s[0], s[1], s[2], true, true, -2, 0), c0);
            }
        }
    }

    /** An empty sum: {@code op(A)} is {@code [m, 0]}, so {@code C = beta * C}, and 0 for {@code beta == 0}. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void emptyInnerDimensionGivesBetaTimesC(DType dtype) {
        assertGemmMatchesReference(dtype, new Call(7, 13, 0, false, false, 1, 0.5));
        assertGemmMatchesReference(dtype, new Call(7, 13, 0, true, true, 1, -2));
        assertGemmMatchesReference(dtype, new Call(7, 13, 0, false, true, 3, 1));
        double[] nan = new double[7 * 13];
        Arrays.fill(nan, Double.NaN);
        assertGemmMatchesReference(dtype, new Call(7, 13, 0, true, false, 1, 0), nan);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void emptyOutputIsAcceptedAndLeavesNothingBehind(DType dtype) {
        assertGemmMatchesReference(dtype, new Call(0, 13, 5, false, false, 1, 0));
        assertGemmMatchesReference(dtype, new Call(7, 0, 5, true, true, 1, 1));
        assertGemmMatchesReference(dtype, new Call(0, 0, 0, false, false, 1, 1));
    }

    /** A and B may be one tensor, as in the Gram matrix {@code A · A^T}; only C must be separate. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void sameTensorAsBothOperandsGivesTheGramMatrix(DType dtype) {
        assumeSupported(dtype);
        Call call = new Call(7, 7, 13, false, true, 1, 0);
        double[] a = values(7 * 13, 21, dtype);
        Expected expected = reference(call, a, a, new double[49]);
        try (Tensor ta = backend().tensor(dtype, a, 7, 13);
             Tensor tc = backend().allocate(dtype, 7, 7)) {
            backend().gemm(false, true, 1, ta, ta, 0, tc);
            backend().synchronize();
            assertWithinTolerance("A · A^T in " + dtype, expected, tc.toDoubleArray(), Tolerance.gemm(dtype));
        }
    }

    /** {@code call} throws {@code type} mentioning {@code parts}, and {@code c} keeps its contents. */
    private static <T extends Throwable> void assertRejectedLeavingCUnchanged(Tensor c, Class<T> type, Executable call,
                                                                              String... parts) {
        double[] before = c.toDoubleArray();
        assertThrowsMentioning(type, call, parts);
        assertArrayEquals(before, c.toDoubleArray(), "a rejected gemm must not modify C");
    }

    private Tensor matrix(DType dtype, long seed, int rows, int cols) {
        return backend().tensor(dtype, values(rows * cols, seed, dtype), rows, cols);
    }

    /** After a rejected call the same backend still multiplies correctly. */
    private void assertBackendStillWorks(DType dtype) {
        assertGemmMatchesReference(dtype, new Call(7, 13, 5, true, false, 1, 0.5));
    }

    @Test
    void operandOfWrongRankIsRejectedNamingItsShape() {
        DType dtype = anySupportedDType();
        try (Tensor a3 = backend().allocate(dtype, 2, 3, 4);
             Tensor a1 = backend().allocate(dtype, 3);
             Tensor b = matrix(dtype, 1, 3, 2);
             Tensor c = matrix(dtype, 2, 2, 2)) {
            assertRejectedLeavingCUnchanged(c, IllegalArgumentException.class,
                    () -> backend().gemm(false, false, 1, a3, b, 0, c), "A", "rank 2", "[2, 3, 4]");
            assertRejectedLeavingCUnchanged(c, IllegalArgumentException.class,
                    () -> backend().gemm(false, false, 1, b, a1, 0, c), "B", "rank 2", "[3]");
            assertThrowsMentioning(IllegalArgumentException.class,
                    () -> backend().gemm(false, false, 1, b, b, 0, a3), "C", "rank 2", "[2, 3, 4]");
        }
        assertBackendStillWorks(dtype);
    }

    @Test
    void innerSizeMismatchIsRejectedNamingBothShapesAndSizes() {
        DType dtype = anySupportedDType();
        try (Tensor a = matrix(dtype, 1, 3, 5);
             Tensor b = matrix(dtype, 2, 4, 2);
             Tensor c = matrix(dtype, 3, 3, 2)) {
            assertRejectedLeavingCUnchanged(c, IllegalArgumentException.class,
                    () -> backend().gemm(false, false, 1, a, b, 0, c), "op(A) is [3, 5]", "op(B) is [4, 2]",
                    "5 and 4");
            // A^T is [5, 3]: still 3 against 4, and the message says A was transposed
            assertRejectedLeavingCUnchanged(c, IllegalArgumentException.class,
                    () -> backend().gemm(true, false, 1, a, b, 0, c), "[5, 3]", "transposed", "3 and 4");
        }
        assertBackendStillWorks(dtype);
    }

    @Test
    void outputOfWrongShapeIsRejectedNamingExpectedAndGiven() {
        DType dtype = anySupportedDType();
        try (Tensor a = matrix(dtype, 1, 3, 5);
             Tensor b = matrix(dtype, 2, 5, 2);
             Tensor c = matrix(dtype, 3, 2, 3)) {
            assertRejectedLeavingCUnchanged(c, IllegalArgumentException.class,
                    () -> backend().gemm(false, false, 1, a, b, 0, c), "C", "[3, 2]", "[2, 3]");
        }
        assertBackendStillWorks(dtype);
    }

    @Test
    void mixedDTypesAreRejectedNamingEach() {
        assumeSupported(DType.FLOAT32);
        assumeSupported(DType.FLOAT64);
        try (Tensor a = matrix(DType.FLOAT32, 1, 3, 5);
             Tensor b64 = matrix(DType.FLOAT64, 2, 5, 2);
             Tensor b = matrix(DType.FLOAT32, 2, 5, 2);
             Tensor c = matrix(DType.FLOAT32, 3, 3, 2);
             Tensor c64 = matrix(DType.FLOAT64, 3, 3, 2)) {
            assertRejectedLeavingCUnchanged(c, IllegalArgumentException.class,
                    () -> backend().gemm(false, false, 1, a, b64, 0, c), "FLOAT32", "FLOAT64", "B");
            assertRejectedLeavingCUnchanged(c64, IllegalArgumentException.class,
                    () -> backend().gemm(false, false, 1, a, b, 0, c64), "FLOAT32", "FLOAT64", "C");
        }
        assertBackendStillWorks(DType.FLOAT32);
    }

    @Test
    void closedTensorIsRejectedWithIllegalState() {
        DType dtype = anySupportedDType();
        for (int closed = 0; closed < 3; closed++) {
            try (Tensor a = matrix(dtype, 1, 3, 5);
                 Tensor b = matrix(dtype, 2, 5, 2);
                 Tensor c = matrix(dtype, 3, 3, 2)) {
                String name = new String[] {"A", "B", "C"}[closed];
                new Tensor[] {a, b, c}[closed].close();
                assertThrowsMentioning(IllegalStateException.class,
                        () -> backend().gemm(false, false, 1, a, b, 0, c), name, "closed");
            }
        }
        assertBackendStillWorks(dtype);
    }

    @Test
    void nullTensorIsRejectedNamingIt() {
        DType dtype = anySupportedDType();
        try (Tensor a = matrix(dtype, 1, 3, 5);
             Tensor b = matrix(dtype, 2, 5, 2);
             Tensor c = matrix(dtype, 3, 3, 2)) {
            assertThrowsMentioning(NullPointerException.class, () -> backend().gemm(false, false, 1, null, b, 0, c),
                    "A");
            assertThrowsMentioning(NullPointerException.class, () -> backend().gemm(false, false, 1, a, null, 0, c),
                    "B");
            assertThrowsMentioning(NullPointerException.class, () -> backend().gemm(false, false, 1, a, b, 0, null),
                    "C");
        }
    }

    @Test
    void tensorOfAnotherBackendInstanceIsRejected() {
        DType dtype = anySupportedDType();
        Backend other = createBackend();
        try {
            try (Tensor a = matrix(dtype, 1, 3, 5);
                 Tensor b = matrix(dtype, 2, 5, 2);
                 Tensor c = matrix(dtype, 3, 3, 2);
                 Tensor foreignB = other.tensor(dtype, b.toDoubleArray(), 5, 2);
                 Tensor foreignC = other.allocate(dtype, 3, 2)) {
                assertRejectedLeavingCUnchanged(c, IllegalArgumentException.class,
                        () -> backend().gemm(false, false, 1, a, foreignB, 0, c), "B", "belongs to");
                assertRejectedLeavingCUnchanged(foreignC, IllegalArgumentException.class,
                        () -> backend().gemm(false, false, 1, a, b, 0, foreignC), "C", "belongs to");
                // and the other instance rejects this one's tensors just the same
                assertRejectedLeavingCUnchanged(foreignC, IllegalArgumentException.class,
                        () -> other.gemm(false, false, 1, a, foreignB, 0, foreignC), "A", "belongs to");
            }
            assertEquals(0, other.liveBytes(), "the other backend after closing its tensors");
        } finally {
            other.close();
        }
        assertBackendStillWorks(dtype);
    }

    @Test
    void outputAliasingAnOperandIsRejected() {
        DType dtype = anySupportedDType();
        try (Tensor a = matrix(dtype, 1, 4, 4);
             Tensor b = matrix(dtype, 2, 4, 4)) {
            assertRejectedLeavingCUnchanged(a, IllegalArgumentException.class,
                    () -> backend().gemm(false, false, 1, a, b, 0, a), "C", "same tensor as A");
            assertRejectedLeavingCUnchanged(b, IllegalArgumentException.class,
                    () -> backend().gemm(true, false, 1, a, b, 1, b), "C", "same tensor as B");
        }
        assertBackendStillWorks(dtype);
    }

    @Test
    void nonFiniteAlphaOrBetaIsRejected() {
        DType dtype = anySupportedDType();
        try (Tensor a = matrix(dtype, 1, 3, 5);
             Tensor b = matrix(dtype, 2, 5, 2);
             Tensor c = matrix(dtype, 3, 3, 2)) {
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                assertRejectedLeavingCUnchanged(c, IllegalArgumentException.class,
                        () -> backend().gemm(false, false, bad, a, b, 0, c), "alpha", "finite");
                assertRejectedLeavingCUnchanged(c, IllegalArgumentException.class,
                        () -> backend().gemm(false, false, 1, a, b, bad, c), "beta", "finite");
            }
        }
        assertBackendStillWorks(dtype);
    }

    @Test
    void alphaBeyondTheFloatRangeIsRejectedForFloat32() {
        assumeSupported(DType.FLOAT32);
        try (Tensor a = matrix(DType.FLOAT32, 1, 3, 5);
             Tensor b = matrix(DType.FLOAT32, 2, 5, 2);
             Tensor c = matrix(DType.FLOAT32, 3, 3, 2)) {
            assertRejectedLeavingCUnchanged(c, IllegalArgumentException.class,
                    () -> backend().gemm(false, false, 1e300, a, b, 0, c), "alpha", "FLOAT32");
        }
    }
}
