package dev.lstm4j.conformance;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions with messages that say where and by how much a backend differs. */
public final class Checks {
    private Checks() {
    }

    /**
     * Every element of {@code actual} is within {@code tol} of {@code expected}; an expected null (a cell state the
     * cell has not got) wants a null.
     */
    public static void assertClose(String what, double[] expected, double[] actual, Tolerance tol) {
        if (expected == null) {
            org.junit.jupiter.api.Assertions.assertNull(actual, what + " must be null: the cell has no such state");
            return;
        }
        assertNotNull(actual, what + " is null");
        assertEquals(expected.length, actual.length, what + ": number of elements");
        double scale = Math.max(1.0, HostArrays.maxAbs(expected));
        int bad = 0;
        int worst = -1;
        double worstErr = -1;
        for (int k = 0; k < expected.length; k++) {
            double err = Math.abs(actual[k] - expected[k]);
            if (!tol.accepts(expected[k], actual[k], scale)) {
                bad++;
                if (worst < 0 || !(err <= worstErr)) {   // NaN counts as worst
                    worst = k;
                    worstErr = err;
                }
            }
        }
        if (bad > 0) {
            fail(String.format(Locale.ROOT, "%s: %d of %d elements outside tolerance (%s, scale %.3g); worst at "
                            + "index %d: expected %.17g, got %.17g (difference %.3g)", what, bad, expected.length,
                    tol, scale, worst, expected[worst], actual[worst], worstErr));
        }
    }

    /** As {@link #assertClose(String, double[], double[], Tolerance)}, reading {@code actual} from the backend. */
    public static void assertClose(String what, double[] expected, Tensor actual, Tolerance tol) {
        assertNotNull(actual, what + " is null");
        assertClose(what, expected, actual.toDoubleArray(), tol);
    }

    /** Same keys, and each array within tolerance. */
    public static void assertAllClose(String what, Map<String, double[]> expected, Map<String, double[]> actual,
                                      Tolerance tol) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": parameter names");
        expected.forEach((name, e) -> assertClose(what + " " + name, e, actual.get(name), tol));
    }

    /** A tensor's dtype and shape. */
    public static void assertShape(String what, Tensor t, DType dtype, long... shape) {
        assertNotNull(t, what + " is null");
        assertArrayEquals(shape, t.shape(), () -> what + " has shape " + Arrays.toString(t.shape())
                + ", expected " + Arrays.toString(shape));
        assertEquals(dtype, t.dtype(), what + " dtype");
    }

    /** {@code call} throws {@code type} with a message containing every one of {@code parts}. */
    public static <T extends Throwable> T assertThrowsMentioning(Class<T> type, Executable call, String... parts) {
        T e = assertThrows(type, call);
        for (String part : parts) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(part),
                    () -> "message should mention '" + part + "': " + e.getMessage());
        }
        return e;
    }

    /** Outputs of a backend forward pass equal the reference's. */
    public static void assertOutputsMatch(String what, ReferenceForward expected, HostOutputs actual, Tolerance tol) {
        assertClose(what + " y", expected.y(), actual.y(), tol);
        assertClose(what + " hn", expected.hn(), actual.hn(), tol);
        assertClose(what + " cn", expected.cn(), actual.cn(), tol);
    }

    /** Gradients of a backend backward pass equal the reference's. */
    public static void assertGradientsMatch(String what, ReferenceGradients expected, HostGradients actual,
                                            Tolerance tol) {
        assertClose(what + " dx", expected.dx(), actual.dx(), tol);
        assertClose(what + " dh0", expected.dh0(), actual.dh0(), tol);
        assertClose(what + " dc0", expected.dc0(), actual.dc0(), tol);
        assertAllClose(what + " gradient of", expected.weights(), actual.weights(), tol);
    }
}
