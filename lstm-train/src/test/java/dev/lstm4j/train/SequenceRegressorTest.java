package dev.lstm4j.train;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.CellType;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.train.data.AddingProblem;
import dev.lstm4j.train.data.SequenceBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceRegressorTest {
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Cpu.backend();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** Variable lengths, two layers, both directions, two outputs: every path of the model at odd sizes. */
    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"LSTM", "GRU"})
    void gradientsOfTheWholeModelMatchFiniteDifferences(CellType cell) {
        RnnSpec spec = RnnSpec.builder().cell(cell).inputSize(3).hiddenSize(5).numLayers(2).bidirectional(true)
                .build();
        SplittableRandom random = new SplittableRandom(17);
        int steps = 6;
        int batchSize = 3;
        float[] x = new float[steps * batchSize * 3];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) random.nextDouble(-1, 1);
        }
        float[] y = {0.5f, -1, 0.25f, 2, 1, -0.5f};
        SequenceBatch batch = new SequenceBatch(x, steps, batchSize, 3, new int[] {6, 1, 4}, y, 2);
        try (SequenceRegressor model = new SequenceRegressor(backend, DType.FLOAT64, spec, 2, 5)) {
            model.trainStep(batch);
            for (Parameter p : model.parameters()) {
                double[] analytic = p.grad().toDoubleArray();
                FiniteDifferences.check(p.name(), p.value(), analytic, p.name().equals("rnn") ? 7 : 1,
                        () -> model.evaluate(batch));
            }
        }
        assertEquals(0, backend.liveBytes(), "native bytes left after closing the model");
    }

    /** The adding problem at a short length learns far below the mean predictor's 0.167 within seconds. */
    @Test
    void learnsTheAddingProblemAtTwentySteps() {
        AddingProblem task = new AddingProblem(20);
        SplittableRandom random = new SplittableRandom(1);
        RnnSpec spec = RnnSpec.lstm(AddingProblem.FEATURES, 32).build();
        try (SequenceRegressor model = new SequenceRegressor(backend, DType.FLOAT32, spec, 1, 1);
             Adam adam = Adam.defaults()) {
            LearningRate lr = LearningRate.constant(1e-2);
            for (int step = 0; step < 500; step++) {
                model.trainStep(task.batch(32, random));
                GradientClipping.clipGlobalNorm(model.parameters(), 1.0);
                adam.step(model.parameters(), lr.at(step));
            }
            double mse = model.evaluate(task.batch(1000, new SplittableRandom(99)));
            assertTrue(mse < 0.01, "test MSE " + mse + " after 500 steps; the mean predictor scores "
                    + AddingProblem.MEAN_PREDICTOR_MSE);
        }
    }
}
