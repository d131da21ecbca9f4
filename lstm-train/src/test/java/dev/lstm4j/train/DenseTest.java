package dev.lstm4j.train;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DenseTest {
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
    void forwardIsXTimesWeightTransposedPlusBias() {
        try (Dense dense = new Dense(backend, DType.FLOAT64, "d", 3, 2, 7);
             Tensor x = backend.tensor(new double[] {1, 2, 3, -1, 0, 0.5}, 2, 3)) {
            double[] w = dense.parameters().get(0).value().toDoubleArray();
            double[] b = dense.parameters().get(1).value().toDoubleArray();
            double[] xs = x.toDoubleArray();
            double[] expected = new double[4];
            for (int n = 0; n < 2; n++) {
                for (int o = 0; o < 2; o++) {
                    expected[n * 2 + o] = b[o];
                    for (int i = 0; i < 3; i++) {
                        expected[n * 2 + o] += xs[n * 3 + i] * w[o * 3 + i];
                    }
                }
            }
            try (Tensor y = dense.forward(x)) {
                assertArrayEquals(expected, y.toDoubleArray(), 1e-12);
            }
            for (double v : w) {
                assertTrue(Math.abs(v) <= 1 / Math.sqrt(3), "weight " + v + " outside PyTorch's init bound");
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 5;
        int in = 4;
        int out = 3;
        double[] upstream = random.doubles(n * out, -1, 1).toArray();
        try (Dense dense = new Dense(backend, DType.FLOAT64, "d", in, out, 11);
             Tensor x = backend.tensor(random.doubles(n * in, -1, 1).toArray(), n, in);
             Tensor dy = backend.tensor(upstream, n, out)) {
            Parameter w = dense.parameters().get(0);
            Parameter b = dense.parameters().get(1);
            w.zeroGrad();
            b.zeroGrad();
            double[] dx;
            try (Tensor dxTensor = dense.backward(x, dy)) {
                dx = dxTensor.toDoubleArray();
            }
            java.util.function.DoubleSupplier loss = () -> {
                try (Tensor y = dense.forward(x)) {
                    double[] ys = y.toDoubleArray();
                    double sum = 0;
                    for (int k = 0; k < ys.length; k++) {
                        sum += ys[k] * upstream[k];
                    }
                    return sum;
                }
            };
            FiniteDifferences.check("dW", w.value(), w.grad().toDoubleArray(), 1, loss);
            FiniteDifferences.check("db", b.value(), b.grad().toDoubleArray(), 1, loss);
            FiniteDifferences.check("dx", x, dx, 1, loss);
        }
    }

    @Test
    void backwardAccumulatesIntoTheGradients() {
        try (Dense dense = new Dense(backend, DType.FLOAT64, "d", 2, 2, 1);
             Tensor x = backend.tensor(new double[] {1, 2}, 1, 2);
             Tensor dy = backend.tensor(new double[] {1, -1}, 1, 2)) {
            Parameter b = dense.parameters().get(1);
            b.zeroGrad();
            dense.backward(x, dy).close();
            dense.backward(x, dy).close();
            assertArrayEquals(new double[] {2, -2}, b.grad().toDoubleArray(), 0);
        }
    }

    @Test
    void wrongInputWidthIsRejectedWithBothShapes() {
        try (Dense dense = new Dense(backend, DType.FLOAT32, "d", 3, 2, 1);
             Tensor x = backend.allocate(DType.FLOAT32, 4, 5)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dense.forward(x));
            assertTrue(e.getMessage().contains("[N, 3]") && e.getMessage().contains("[4, 5]"), e.getMessage());
        }
        assertEquals(0, backend.liveBytes());
    }
}
