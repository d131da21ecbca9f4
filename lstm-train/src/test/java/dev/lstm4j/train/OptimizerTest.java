package dev.lstm4j.train;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The optimizers' bookkeeping (state per name, step counts) against steps computed by hand. */
class OptimizerTest {
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Cpu.backend();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void adamTwoStepsByHand() {
        try (Tensor p = backend.tensor(new double[] {1.0}, 1);
             Tensor g = backend.tensor(new double[] {0.5}, 1);
             Adam adam = Adam.defaults()) {
            List<Parameter> params = List.of(new Parameter("p", p, g));
            adam.step(params, 0.1);
            // step 1: m = 0.05, v = 0.00025; m^ = 0.5, v^ = 0.25; p = 1 - 0.1 * 0.5 / (0.5 + 1e-8)
            double p1 = 1 - 0.1 * 0.5 / (0.5 + 1e-8);
            assertArrayEquals(new double[] {p1}, p.toDoubleArray(), 1e-15);
            g.copyFrom(new double[] {-1.0});
            adam.step(params, 0.1);
            double m = 0.9 * 0.05 + 0.1 * -1.0;
            double v = 0.999 * 0.00025 + 0.001 * 1.0;
            double p2 = p1 - 0.1 * (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.999 * 0.999)) + 1e-8);
            assertArrayEquals(new double[] {p2}, p.toDoubleArray(), 1e-15);
            assertEquals(2, adam.steps());
        }
        assertEquals(0, backend.liveBytes(), "the optimizer's moments are freed on close");
    }

    @Test
    void adamWDecaysTheWeightBeforeTheUpdate() {
        try (Tensor p = backend.tensor(new double[] {2.0}, 1);
             Tensor g = backend.tensor(new double[] {0.0}, 1);
             Adam adamW = Adam.adamW(0.5)) {
            adamW.step(List.of(new Parameter("p", p, g)), 0.1);
            assertArrayEquals(new double[] {2.0 * (1 - 0.1 * 0.5)}, p.toDoubleArray(), 1e-15);
        }
    }

    @Test
    void sgdWithNesterovMomentumTwoStepsByHand() {
        try (Tensor p = backend.tensor(new double[] {1.0, -2.0}, 2);
             Tensor g = backend.tensor(new double[] {0.5, 1.0}, 2);
             Sgd sgd = new Sgd(0.9, 0, true)) {
            List<Parameter> params = List.of(new Parameter("p", p, g));
            sgd.step(params, 0.1);
            // buf = g; nesterov direction g + 0.9 buf = 1.9 g
            double[] p1 = {1.0 - 0.1 * 1.9 * 0.5, -2.0 - 0.1 * 1.9 * 1.0};
            assertArrayEquals(p1, p.toDoubleArray(), 1e-15);
            sgd.step(params, 0.1);
            // buf = 0.9 g + g = 1.9 g; direction g + 0.9 * 1.9 g = 2.71 g
            assertArrayEquals(new double[] {p1[0] - 0.1 * 2.71 * 0.5, p1[1] - 0.1 * 2.71 * 1.0},
                    p.toDoubleArray(), 1e-15);
        }
    }

    @Test
    void aNameReusedForAnotherShapeIsRejected() {
        try (Tensor a = backend.tensor(new double[] {1.0}, 1);
             Tensor ga = backend.allocate(DType.FLOAT64, 1);
             Tensor b = backend.tensor(new double[] {1.0, 2.0}, 2);
             Tensor gb = backend.allocate(DType.FLOAT64, 2);
             Adam adam = Adam.defaults()) {
            adam.step(List.of(new Parameter("w", a, ga)), 0.1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> adam.step(List.of(new Parameter("w", b, gb)), 0.1));
            assertEquals(true, e.getMessage().contains("parameter w"), e.getMessage());
        }
    }

    @Test
    void clippingScalesToTheMaximumNormAndReportsTheNormBefore() {
        try (Tensor p1 = backend.allocate(DType.FLOAT64, 2);
             Tensor g1 = backend.tensor(new double[] {3, 0}, 2);
             Tensor p2 = backend.allocate(DType.FLOAT64, 1);
             Tensor g2 = backend.tensor(new double[] {4}, 1)) {
            List<Parameter> params = List.of(new Parameter("a", p1, g1), new Parameter("b", p2, g2));
            assertEquals(5, GradientClipping.clipGlobalNorm(params, 10), 1e-12);
            assertArrayEquals(new double[] {3, 0}, g1.toDoubleArray(), 0, "under the limit nothing changes");
            assertEquals(5, GradientClipping.clipGlobalNorm(params, 1), 1e-12);
            double c = 1 / (5 + 1e-6);
            assertArrayEquals(new double[] {3 * c, 0}, g1.toDoubleArray(), 1e-15);
            assertArrayEquals(new double[] {4 * c}, g2.toDoubleArray(), 1e-15);
            assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipGlobalNorm(params, 0));
        }
    }

    @Test
    void learningRateSchedules() {
        assertEquals(0.1, LearningRate.constant(0.1).at(1000));
        LearningRate step = LearningRate.step(1.0, 10, 0.5);
        assertEquals(1.0, step.at(9));
        assertEquals(0.5, step.at(10));
        assertEquals(0.25, step.at(25));
        LearningRate cosine = LearningRate.cosine(1.0, 100, 0.1);
        assertEquals(1.0, cosine.at(0), 1e-15);
        assertEquals(0.55, cosine.at(50), 1e-15);
        assertEquals(0.1, cosine.at(100), 1e-15);
        assertEquals(0.1, cosine.at(500), 1e-15);
        LearningRate warm = cosine.withWarmup(4);
        assertEquals(0.25, warm.at(0), 1e-15);
        assertEquals(1.0, warm.at(3), 1e-15);
        assertEquals(1.0, warm.at(4), 1e-15);
        assertEquals(0.55, warm.at(54), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> LearningRate.cosine(1.0, 0, 0));
    }
}
