package dev.lstm4j.train.data;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddingProblemTest {

    @Test
    void twoMarkersOneInEachHalfAndTheTargetIsTheirSum() {
        int steps = 11;
        int batch = 64;
        SequenceBatch b = new AddingProblem(steps).batch(batch, new SplittableRandom(4));
        float[] x = b.inputs();
        for (int s = 0; s < batch; s++) {
            int marks = 0;
            double sum = 0;
            for (int t = 0; t < steps; t++) {
                int at = (t * batch + s) * AddingProblem.FEATURES;
                assertTrue(x[at] >= 0 && x[at] < 1);
                if (x[at + 1] == 1) {
                    assertEquals(marks == 0, t < steps / 2, "marker " + marks + " of sequence " + s + " at step " + t);
                    marks++;
                    sum += x[at];
                } else {
                    assertEquals(0, x[at + 1]);
                }
            }
            assertEquals(2, marks);
            assertEquals(sum, b.targets()[s], 1e-6);
        }
    }

    @Test
    void theMeanPredictorScoresAboutOneSixth() {
        SequenceBatch b = new AddingProblem(50).batch(20_000, new SplittableRandom(5));
        double mse = 0;
        for (float y : b.targets()) {
            mse += (y - 1.0) * (y - 1.0);
        }
        assertEquals(AddingProblem.MEAN_PREDICTOR_MSE, mse / b.batch(), 0.005);
    }

    @Test
    void theSameSeedGivesTheSameBatch() {
        SequenceBatch a = new AddingProblem(9).batch(4, new SplittableRandom(8));
        SequenceBatch b = new AddingProblem(9).batch(4, new SplittableRandom(8));
        assertArrayEquals(a.inputs(), b.inputs());
        assertArrayEquals(a.targets(), b.targets());
        assertThrows(IllegalArgumentException.class, () -> new AddingProblem(1));
    }
}
