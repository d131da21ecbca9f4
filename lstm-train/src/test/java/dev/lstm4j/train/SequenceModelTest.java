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
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceModelTest {
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Cpu.backend();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /**
     * Variable lengths, two layers, both directions, every head and loss: each path of the model at odd sizes,
     * for the LSTM and the GRU.
     */
    @ParameterizedTest
    @CsvSource({"LSTM, LAST_STEP, MSE", "GRU, LAST_STEP, MSE", "LSTM, LAST_STEP, CROSS_ENTROPY",
            "LSTM, EVERY_STEP, MSE", "GRU, EVERY_STEP, CROSS_ENTROPY"})
    void gradientsOfTheWholeModelMatchFiniteDifferences(CellType cell, SequenceModel.Head head,
                                                        SequenceModel.Loss loss) {
        RnnSpec spec = RnnSpec.builder().cell(cell).inputSize(3).hiddenSize(5).numLayers(2).bidirectional(true)
                .build();
        SplittableRandom random = new SplittableRandom(17);
        int steps = 6;
        int batchSize = 3;
        float[] x = new float[steps * batchSize * 3];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) random.nextDouble(-1, 1);
        }
        boolean perStep = head == SequenceModel.Head.EVERY_STEP;
        boolean classes = loss == SequenceModel.Loss.CROSS_ENTROPY;
        int targetSize = classes ? 1 : 2;
        float[] y = new float[(perStep ? steps : 1) * batchSize * targetSize];
        for (int k = 0; k < y.length; k++) {
            y[k] = classes ? random.nextInt(2) : (float) random.nextDouble(-1, 1);
        }
        SequenceBatch batch = new SequenceBatch(x, steps, batchSize, 3, new int[] {6, 1, 4}, y, targetSize, perStep);
        try (SequenceModel model = new SequenceModel(backend, DType.FLOAT64, spec, head, loss, 2, 5)) {
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
        try (SequenceModel model = SequenceModel.regressor(backend, DType.FLOAT32, spec, 1, 1);
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

    @Test
    void paddingStepsTakeNoPartInThePerStepLoss() {
        RnnSpec spec = RnnSpec.lstm(2, 4).build();
        float[] x = new float[3 * 2 * 2];
        java.util.Arrays.fill(x, 0.5f);
        float[] full = {1, 2, 3, 4, 5, 6};
        float[] padded = full.clone();
        padded[5] = 1e6f;   // step 2 of sequence 1, past its length 2
        try (SequenceModel model = SequenceModel.sequenceRegressor(backend, DType.FLOAT64, spec, 1, 3)) {
            double a = model.evaluate(new SequenceBatch(x, 3, 2, 2, new int[] {3, 2}, full, 1, true));
            double b = model.evaluate(new SequenceBatch(x, 3, 2, 2, new int[] {3, 2}, padded, 1, true));
            assertEquals(a, b, 0);
            double[] pred = model.predict(new SequenceBatch(x, 3, 2, 2, new int[] {3, 2}, full, 1, true));
            assertEquals(6, pred.length);
            assertEquals(0, pred[5], "prediction past a sequence's length");
        }
    }

    @Test
    void aClassifierRejectsATargetThatIsNoClassIndex() {
        try (SequenceModel model = SequenceModel.classifier(backend, DType.FLOAT32, RnnSpec.lstm(1, 3).build(), 3, 1)) {
            SequenceBatch batch = new SequenceBatch(new float[2], 2, 1, 1, new int[] {2}, new float[] {1.5f}, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.trainStep(batch));
            assertTrue(e.getMessage().contains("class index in [0, 3)"), e.getMessage());
        }
    }
}
