package dev.lstm4j.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropoutMaskTest {
    private static final int N = 200_000;

    private static int kept(long seed, int layer, double p) {
        int kept = 0;
        for (long e = 0; e < N; e++) {
            kept += DropoutMask.keeps(seed, layer, e, p) ? 1 : 0;
        }
        return kept;
    }

    @Test
    void keepsAboutOneMinusPOfTheElements() {
        for (double p : new double[] {0.1, 0.5, 0.9}) {
            double sigma = Math.sqrt(N * p * (1 - p));
            assertEquals(N * (1 - p), kept(42, 0, p), 5 * sigma, "p = " + p);
        }
        assertEquals(N, kept(42, 0, 0.0), "p = 0 keeps everything");
    }

    @Test
    void isAPureFunctionOfSeedLayerAndElement() {
        for (long e = 0; e < 1000; e++) {
            assertEquals(DropoutMask.uniform(7, 1, e), DropoutMask.uniform(7, 1, e));
        }
    }

    @Test
    void seedsAndLayersDrawIndependentMasks() {
        // Agreement between two independent p = 0.5 masks is 1/2; neighbouring seeds and layers must not correlate.
        long[][] pairs = {{1, 0, 2, 0}, {1, 0, 1, 1}, {0, 0, 1, 0}};
        for (long[] pair : pairs) {
            int same = 0;
            for (long e = 0; e < N; e++) {
                same += DropoutMask.keeps(pair[0], (int) pair[1], e, 0.5)
                        == DropoutMask.keeps(pair[2], (int) pair[3], e, 0.5) ? 1 : 0;
            }
            assertEquals(N / 2.0, same, 5 * Math.sqrt(N * 0.25), java.util.Arrays.toString(pair));
        }
    }

    @Test
    void uniformDrawsStayInTheUnitInterval() {
        for (long e = 0; e < N; e++) {
            double u = DropoutMask.uniform(-3, 2, e);
            assertTrue(u >= 0 && u < 1, "draw " + u);
        }
        assertEquals(2.0, DropoutMask.scale(0.5));
    }
}
