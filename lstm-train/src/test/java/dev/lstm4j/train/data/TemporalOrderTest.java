package dev.lstm4j.train.data;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemporalOrderTest {

    @Test
    void theClassIsTheOrderOfTheTwoRelevantSymbols() {
        int steps = 30;
        int batch = 200;
        SequenceBatch b = new TemporalOrder(steps).batch(batch, new SplittableRandom(3));
        int[] classCounts = new int[TemporalOrder.CLASSES];
        for (int s = 0; s < batch; s++) {
            StringBuilder relevant = new StringBuilder();
            for (int t = 0; t < steps; t++) {
                int hot = -1;
                for (int f = 0; f < TemporalOrder.FEATURES; f++) {
                    if (b.inputs()[(t * batch + s) * TemporalOrder.FEATURES + f] == 1) {
                        assertEquals(-1, hot, "one-hot at step " + t);
                        hot = f;
                    }
                }
                assertTrue(hot >= 0, "a symbol at every step");
                assertEquals(t == 0, hot == 6, "start symbol only first");
                assertEquals(t == steps - 1, hot == 7, "end symbol only last");
                if (hot == 4 || hot == 5) {
                    assertTrue(relevant.isEmpty() ? t >= 3 && t < 6 : t >= 15 && t < 18, "step " + t);
                    relevant.append(hot == 4 ? 'X' : 'Y');
                }
            }
            int expected = switch (relevant.toString()) {
                case "XX" -> 0;
                case "XY" -> 1;
                case "YX" -> 2;
                case "YY" -> 3;
                default -> throw new AssertionError("relevant symbols " + relevant);
            };
            assertEquals(expected, (int) b.targets()[s]);
            classCounts[expected]++;
        }
        for (int count : classCounts) {
            assertTrue(count > 30, "classes drawn evenly: " + java.util.Arrays.toString(classCounts));
        }
    }
}
