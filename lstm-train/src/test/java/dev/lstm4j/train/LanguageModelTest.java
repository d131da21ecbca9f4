package dev.lstm4j.train;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.CellType;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LanguageModelTest {
    private static final int VOCABULARY = 7;
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Cpu.backend();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static int[] randomTokens(int n, SplittableRandom random) {
        return random.ints(n, 0, VOCABULARY).toArray();
    }

    /** Two layers, a carried-in state that is not zero, and one masked target. */
    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"LSTM", "GRU"})
    void gradientsMatchFiniteDifferences(CellType cell) {
        RnnSpec spec = RnnSpec.builder().cell(cell).inputSize(4).hiddenSize(5).numLayers(2).build();
        int steps = 4;
        int batch = 3;
        SplittableRandom random = new SplittableRandom(2);
        int[] tokens = randomTokens(steps * batch, random);
        int[] targets = randomTokens(steps * batch, random);
        targets[4] = -1;
        try (LanguageModel model = new LanguageModel(backend, DType.FLOAT64, VOCABULARY, spec, 3);
             RecurrentState initial = model.newState(batch);
             RecurrentState state = model.newState(batch)) {
            model.evaluate(randomTokens(2 * batch, random), randomTokens(2 * batch, random), 2, batch, initial);
            state.carry(initial.h(), initial.c());
            model.trainStep(tokens, targets, steps, batch, state);
            for (Parameter p : model.parameters()) {
                double[] analytic = p.grad().toDoubleArray();
                FiniteDifferences.check(p.name(), p.value(), analytic, p.name().equals("rnn") ? 5 : 1, () -> {
                    state.carry(initial.h(), initial.c());
                    return model.evaluate(tokens, targets, steps, batch, state);
                });
            }
        }
        assertEquals(0, backend.liveBytes());
    }

    @Test
    void segmentsWithTheStateCarriedGiveTheLossOfTheWholeSequence() {
        RnnSpec spec = RnnSpec.lstm(4, 6).numLayers(2).build();
        int batch = 2;
        SplittableRandom random = new SplittableRandom(4);
        int[] tokens = randomTokens(10 * batch, random);
        int[] targets = randomTokens(10 * batch, random);
        try (LanguageModel model = new LanguageModel(backend, DType.FLOAT64, VOCABULARY, spec, 5);
             RecurrentState whole = model.newState(batch);
             RecurrentState pieces = model.newState(batch)) {
            double all = model.evaluate(tokens, targets, 10, batch, whole);
            double first = model.evaluate(Arrays.copyOfRange(tokens, 0, 5 * batch),
                    Arrays.copyOfRange(targets, 0, 5 * batch), 5, batch, pieces);
            double second = model.trainStep(Arrays.copyOfRange(tokens, 5 * batch, 10 * batch),
                    Arrays.copyOfRange(targets, 5 * batch, 10 * batch), 5, batch, pieces);
            assertEquals(all, (first + second) / 2, 1e-12);
            assertArrayEquals(whole.h().toDoubleArray(), pieces.h().toDoubleArray(), 1e-12);
            assertArrayEquals(whole.c().toDoubleArray(), pieces.c().toDoubleArray(), 1e-12);
            pieces.reset();
            assertEquals(0, Arrays.stream(pieces.h().toDoubleArray()).map(Math::abs).sum());
        }
    }

    @Test
    void learnsARepeatingPatternAndSamplesIt() {
        int[] pattern = {0, 1, 2, 3, 1, 4};
        int steps = 12;
        int batch = 4;
        RnnSpec spec = RnnSpec.lstm(8, 16).build();
        try (LanguageModel model = new LanguageModel(backend, DType.FLOAT32, VOCABULARY, spec, 6);
             Adam adam = Adam.defaults();
             RecurrentState state = model.newState(batch)) {
            int[] tokens = new int[steps * batch];
            int[] targets = new int[steps * batch];
            for (int segment = 0; segment < 150; segment++) {
                for (int t = 0; t < steps; t++) {
                    for (int b = 0; b < batch; b++) {
                        long position = (long) segment * steps + t + b * 5L;   // streams at different phases
                        tokens[t * batch + b] = pattern[(int) (position % pattern.length)];
                        targets[t * batch + b] = pattern[(int) ((position + 1) % pattern.length)];
                    }
                }
                model.trainStep(tokens, targets, steps, batch, state);
                adam.step(model.parameters(), 2e-2);
            }
            int[] sample = model.sample(new int[] {0, 1, 2}, 9, 0.05, new SplittableRandom(1));
            assertArrayEquals(new int[] {3, 1, 4, 0, 1, 2, 3, 1, 4}, sample);
        }
    }

    @Test
    void aSegmentWithTheWrongNumberOfTokensIsRejected() {
        try (LanguageModel model = new LanguageModel(backend, DType.FLOAT32, VOCABULARY, RnnSpec.lstm(4, 4).build(), 1);
             RecurrentState state = model.newState(2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.trainStep(new int[5], new int[6], 3, 2, state));
            assertEquals("a segment of 3 steps x 2 streams needs 6 tokens and as many targets, got 5 and 6",
                    e.getMessage());
        }
    }
}
