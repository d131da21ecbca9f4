package dev.lstm4j.api;

import java.util.Arrays;

/** Shape arithmetic shared by the API and the backends. */
public final class Shapes {
    private Shapes() {
    }

    /** Product of the dimensions; rejects negative dimensions and overflow with a clear message. */
    public static long size(long... shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than "
                        + Long.MAX_VALUE + " elements");
            }
        }
        return n;
    }

    /** {@code "[2, 3, 4]"}. */
    public static String format(long... shape) {
        return Arrays.toString(shape);
    }
}
