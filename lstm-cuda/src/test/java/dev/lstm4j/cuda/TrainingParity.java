package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.CellType;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.train.Adam;
import dev.lstm4j.train.GradientClipping;
import dev.lstm4j.train.LanguageModel;
import dev.lstm4j.train.Model;
import dev.lstm4j.train.Optimizer;
import dev.lstm4j.train.Parameter;
import dev.lstm4j.train.RecurrentState;
import dev.lstm4j.train.SequenceModel;
import dev.lstm4j.train.Sgd;
import dev.lstm4j.train.data.AddingProblem;
import dev.lstm4j.train.data.SequenceBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole training steps of lstm-train's models on the cuda backend against the same steps on the CPU backend:
 * embedding lookup and scatter, the stack, the dense head and its bias, the losses, clipping and the optimizers,
 * from equal weights, for three steps. Losses and every parameter must agree to the dtype's rounding. Run on the
 * host interpreter in every build ({@link HostTrainingParityTest}) and on a GPU where there is one.
 */
abstract class TrainingParity {
    private Backend cuda;
    private Backend cpu;

    protected abstract Backend createBackend();

    @BeforeEach
    void open() {
        cuda = createBackend();
        cpu = Backends.select("cpu");
    }

    @AfterEach
    void close() {
        cuda.close();
        cpu.close();
    }

    private static double tolerance(DType dtype) {
        return dtype == DType.FLOAT64 ? 1e-9 : 2e-4;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void languageModelStepsWithClippingAndAdamAgree(DType dtype) {
        RnnSpec spec = RnnSpec.lstm(6, 8).numLayers(2).build();
        int steps = 5;
        int batch = 3;
        int vocabulary = 11;
        SplittableRandom random = new SplittableRandom(4);
        int[] tokens = random.ints((long) steps * batch, 0, vocabulary).toArray();
        int[] targets = random.ints((long) steps * batch, 0, vocabulary).toArray();
        targets[4] = -1;   // a masked (padding) target
        try (LanguageModel onCuda = new LanguageModel(cuda, dtype, vocabulary, spec, 9);
             LanguageModel onCpu = new LanguageModel(cpu, dtype, vocabulary, spec, 9);
             RecurrentState cudaState = onCuda.newState(batch);
             RecurrentState cpuState = onCpu.newState(batch);
             Adam cudaAdam = Adam.defaults();
             Adam cpuAdam = Adam.defaults()) {
            copyWeights(onCpu, onCuda);
            for (int step = 0; step < 3; step++) {
                double cudaLoss = onCuda.trainStep(tokens, targets, steps, batch, cudaState);
                double cpuLoss = onCpu.trainStep(tokens, targets, steps, batch, cpuState);
                assertEquals(cpuLoss, cudaLoss, tolerance(dtype) * Math.max(1, cpuLoss), "loss at step " + step);
                compare("gradient", onCpu, onCuda, Parameter::grad, dtype);
                assertEquals(GradientClipping.clipGlobalNorm(onCpu.parameters(), 0.5),
                        GradientClipping.clipGlobalNorm(onCuda.parameters(), 0.5), tolerance(dtype), "norm");
                cpuAdam.step(onCpu.parameters(), 1e-2);
                cudaAdam.step(onCuda.parameters(), 1e-2);
                compare("weight after step " + step, onCpu, onCuda, Parameter::value, dtype);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void classifierAndRegressorStepsWithVariableLengthsAgree(DType dtype) {
        RnnSpec gru = RnnSpec.builder().cell(CellType.GRU).inputSize(AddingProblem.FEATURES).hiddenSize(7)
                .bidirectional(true).build();
        RnnSpec lstm = RnnSpec.lstm(AddingProblem.FEATURES, 6).build();
        SequenceBatch adding = new AddingProblem(9).batch(4, new SplittableRandom(2));
        int[] lengths = {9, 5, 2, 7};
        float[] classes = {0, 2, 1, 2};
        SequenceBatch classify = new SequenceBatch(adding.inputs(), 9, 4, AddingProblem.FEATURES, lengths, classes, 1);
        try (SequenceModel cudaClassifier = SequenceModel.classifier(cuda, dtype, gru, 3, 5);
             SequenceModel cpuClassifier = SequenceModel.classifier(cpu, dtype, gru, 3, 5);
             SequenceModel cudaRegressor = SequenceModel.regressor(cuda, dtype, lstm, 1, 6);
             SequenceModel cpuRegressor = SequenceModel.regressor(cpu, dtype, lstm, 1, 6)) {
            copyWeights(cpuClassifier, cudaClassifier);
            copyWeights(cpuRegressor, cudaRegressor);
            trainTogether(cpuClassifier, cudaClassifier, classify, new Sgd(0.9, 0, true), new Sgd(0.9, 0, true),
                    dtype);
            trainTogether(cpuRegressor, cudaRegressor, adding, Adam.adamW(0.01), Adam.adamW(0.01), dtype);
        }
    }

    private static void trainTogether(SequenceModel cpuModel, SequenceModel cudaModel, SequenceBatch batch,
                                      Optimizer cpuOptimizer, Optimizer cudaOptimizer, DType dtype) {
        try (cpuOptimizer; cudaOptimizer) {
            for (int step = 0; step < 3; step++) {
                double cpuLoss = cpuModel.trainStep(batch);
                double cudaLoss = cudaModel.trainStep(batch);
                assertEquals(cpuLoss, cudaLoss, tolerance(dtype) * Math.max(1, cpuLoss), "loss at step " + step);
                compare("gradient at step " + step, cpuModel, cudaModel, Parameter::grad, dtype);
                cpuOptimizer.step(cpuModel.parameters(), 0.05);
                cudaOptimizer.step(cudaModel.parameters(), 0.05);
                compare("weight after step " + step, cpuModel, cudaModel, Parameter::value, dtype);
            }
        }
    }

    private static void copyWeights(Model from, Model to) {
        List<Parameter> source = from.parameters();
        List<Parameter> target = to.parameters();
        assertEquals(source.size(), target.size());
        for (int i = 0; i < source.size(); i++) {
            target.get(i).value().copyFrom(source.get(i).value().toDoubleArray());
        }
    }

    /** The weights or gradients ({@code tensor}) of both models agree, parameter by parameter. */
    private static void compare(String what, Model cpuModel, Model cudaModel, Function<Parameter, Tensor> tensor,
                                DType dtype) {
        List<Parameter> cpuParams = cpuModel.parameters();
        List<Parameter> cudaParams = cudaModel.parameters();
        for (int i = 0; i < cpuParams.size(); i++) {
            String name = cpuParams.get(i).name();
            double[] expected = tensor.apply(cpuParams.get(i)).toDoubleArray();
            double[] actual = tensor.apply(cudaParams.get(i)).toDoubleArray();
            double scale = 1e-3;
            for (double e : expected) {
                scale = Math.max(scale, Math.abs(e));
            }
            for (int k = 0; k < expected.length; k++) {
                double diff = Math.abs(expected[k] - actual[k]);
                int at = k;
                assertTrue(diff <= tolerance(dtype) * scale, () -> what + ": " + name + "[" + at
                        + "] is " + actual[at] + " on cuda, " + expected[at] + " on the cpu");
            }
        }
    }
}
