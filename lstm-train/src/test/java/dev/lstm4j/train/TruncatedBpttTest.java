package dev.lstm4j.train;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.train.data.TokenStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The bookkeeping of TBPTT(k1, k2) checked against the same computation spelled out with the model's own
 * calls: which tokens form the window, which targets are masked, which state the window starts from.
 */
class TruncatedBpttTest {
    private static final int VOCABULARY = 6;
    private static final int BATCH = 2;
    private static final int STEPS = 3;
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Cpu.backend();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static TokenStreams streams() {
        int[] text = new SplittableRandom(5).ints(BATCH * STEPS * 5 + 1, 0, VOCABULARY).toArray();
        return new TokenStreams(text, BATCH, STEPS);   // 5 segments per pass
    }

    private static LanguageModel model() {
        return new LanguageModel(backend, DType.FLOAT64, VOCABULARY, RnnSpec.lstm(4, 5).numLayers(2).build(), 3);
    }

    private static double[] gradients(LanguageModel model) {
        return model.parameters().stream().flatMapToDouble(p -> Arrays.stream(p.grad().toDoubleArray())).toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aTwoSegmentWindowStartsFromTheStateBeforeItAndTrainsOnlyTheLastSegmentsTargets() {
        TokenStreams train = streams();
        try (LanguageModel model = model();
             TruncatedBptt bptt = new TruncatedBptt(model, train, 2, train);
             RecurrentState reference = model.newState(BATCH)) {
            bptt.step(0);
            bptt.step(1);
            double bits = bptt.step(2).loss();
            double[] tbpttGrads = gradients(model);

            // parameters never changed, so the state after window 0 is segment 0's end state from zero
            TokenStreams.Segment s0 = train.segment(0);
            model.evaluate(s0.tokens(), s0.targets(), STEPS, BATCH, reference);
            TokenStreams.Segment s1 = train.segment(1);
            TokenStreams.Segment s2 = train.segment(2);
            int[] masked = new int[s1.targets().length];
            Arrays.fill(masked, -1);
            double nats = model.trainStep(concat(s1.tokens(), s2.tokens()), concat(masked, s2.targets()), 2 * STEPS,
                    BATCH, reference);
            assertEquals(nats / Math.log(2), bits, 1e-12);
            assertArrayEquals(gradients(model), tbpttGrads, 1e-12);
        }
        assertEquals(0, backend.liveBytes());
    }

    @Test
    void oneBackwardSegmentIsTheUsualCarryAndAPassStartsFromZero() {
        TokenStreams train = streams();
        try (LanguageModel model = model();
             TruncatedBptt bptt = new TruncatedBptt(model, train, 1, train);
             RecurrentState reference = model.newState(BATCH)) {
            for (int step = 0; step < 7; step++) {   // 5 segments, then a new pass at step 5
                double bits = bptt.step(step).loss();
                if (step % 5 == 0) {
                    reference.reset();
                }
                TokenStreams.Segment s = train.segment(step);
                double nats = model.trainStep(s.tokens(), s.targets(), STEPS, BATCH, reference);
                assertEquals(nats / Math.log(2), bits, 1e-12, "step " + step);
            }
            List<String> names = List.copyOf(bptt.state().keySet());
            assertEquals(List.of("tbptt.0.h", "tbptt.0.c"), names);
            assertArrayEquals(reference.h().toDoubleArray(), bptt.state().get("tbptt.0.h").toDoubleArray(), 0);
        }
    }

    @Test
    void moreBackwardSegmentsThanAPassHoldsAreRejected() {
        try (LanguageModel model = model()) {
            assertThrows(IllegalArgumentException.class, () -> new TruncatedBptt(model, streams(), 6, streams()));
        }
    }
}
