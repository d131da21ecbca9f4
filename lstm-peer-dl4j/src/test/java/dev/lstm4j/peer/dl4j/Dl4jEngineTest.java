package dev.lstm4j.peer.dl4j;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.conformance.Checks;
import dev.lstm4j.conformance.Tolerance;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.PeerJob;
import dev.lstm4j.peer.StackShape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DL4J, loaded with PyTorch-named weights through {@link Dl4jEngine}, computes what the fp64 reference does. */
class Dl4jEngineTest {
    /** Odd sizes, so that a transposed or mis-sliced array cannot line up by accident. */
    private static final int T = 5;
    private static final int B = 3;
    private static final int I = 7;
    private static final int H = 13;
    private static final Tolerance FORWARD = Tolerance.forward(DType.FLOAT32);
    private static final Tolerance GRADIENTS = Tolerance.gradients(DType.FLOAT32);

    private static final Dl4jEngine ENGINE = new Dl4jEngine();

    @BeforeAll
    static void oneThread() {
        ENGINE.configureThreads(1);
    }

    @Test
    void oneLayerInferenceOutputMatchesReference() throws Exception {
        checkInference(new StackShape(T, B, I, H, 1, false));
    }

    @Test
    void oneLayerTrainingStepMatchesReference() throws Exception {
        checkTraining(new StackShape(T, B, I, H, 1, false));
    }

    @Test
    void twoLayerInferenceOutputMatchesReference() throws Exception {
        checkInference(new StackShape(T, B, I, H, 2, false));
    }

    @Test
    void twoLayerTrainingStepMatchesReference() throws Exception {
        checkTraining(new StackShape(T, B, I, H, 2, false));
    }

    @Test
    void bidirectionalInferenceOutputMatchesReference() throws Exception {
        checkInference(new StackShape(T, B, I, H, 1, true));
    }

    /** Two layers, so that the second reads the concatenated [forward, reverse] output of the first. */
    @Test
    void twoLayerBidirectionalTrainingStepMatchesReference() throws Exception {
        checkTraining(new StackShape(T, B, I, H, 2, true));
    }

    /** Each iteration starts from zero state: nothing of the previous one carries over. */
    @Test
    void repeatedTrainingStepsGiveIdenticalResults() throws Exception {
        ReferenceCase c = ReferenceCase.of(new StackShape(T, B, I, H, 1, false), 11);
        try (Dl4jRun run = prepare(c, BenchMode.TRAIN)) {
            run.run();
            float[] y1 = run.output().floats();
            float[] dx1 = run.inputGradient().floats();
            for (int k = 0; k < 3; k++) {
                run.run();
            }
            assertArrayEquals(y1, run.output().floats());
            assertArrayEquals(dx1, run.inputGradient().floats());
        }
    }

    @Test
    void missingWeightIsReportedByName() {
        ReferenceCase c = ReferenceCase.of(new StackShape(T, B, I, H, 1, false), 12);
        Map<String, NdArray> weights = new LinkedHashMap<>(c.weights());
        weights.remove("bias_hh_l0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ENGINE.prepare(job(c.shape(), BenchMode.INFERENCE), weights, c.x(), null));
        assertTrue(e.getMessage().contains("bias_hh_l0"), e.getMessage());
    }

    @Test
    void provenanceReportsThreadsAndBackend() {
        Map<String, String> p = ENGINE.provenance();
        assertEquals("1", p.get("threads.blas"), p.toString());
        assertEquals("1", p.get("threads.omp"), p.toString());
        assertEquals("1.0.0-M2.1", ENGINE.version());
        assertEquals("absent from this libnd4j build", p.get("onednn"), p.toString());
    }

    private static void checkInference(StackShape shape) throws Exception {
        ReferenceCase c = ReferenceCase.of(shape, 1 + shape.numLayers() + (shape.bidirectional() ? 10 : 0));
        try (Dl4jRun run = prepare(c, BenchMode.INFERENCE)) {
            run.run();
            NdArray y = run.output();
            assertArrayEquals(new long[] {T, B, (long) shape.directions() * H}, y.shape());
            Checks.assertClose("y", c.forward().y(), y.toDoubles(), FORWARD);
        }
    }

    private static void checkTraining(StackShape shape) throws Exception {
        ReferenceCase c = ReferenceCase.of(shape, 100 + shape.numLayers() + (shape.bidirectional() ? 10 : 0));
        try (Dl4jRun run = prepare(c, BenchMode.TRAIN)) {
            run.run();
            Checks.assertClose("y", c.forward().y(), run.output().toDoubles(), FORWARD);
            NdArray dx = run.inputGradient();
            assertArrayEquals(new long[] {T, B, I}, dx.shape());
            Checks.assertClose("dx", c.gradients().dx(), dx.toDoubles(), GRADIENTS);
            Map<String, double[]> dw = new LinkedHashMap<>();
            run.weightGradients().forEach((name, g) -> dw.put(name, g.toDoubles()));
            Checks.assertAllClose("dW", c.gradients().weights(), dw, GRADIENTS);
        }
    }

    private static Dl4jRun prepare(ReferenceCase c, BenchMode mode) throws Exception {
        return (Dl4jRun) ENGINE.prepare(job(c.shape(), mode), c.weights(), c.x(),
                mode == BenchMode.TRAIN ? c.dy() : null);
    }

    private static PeerJob job(StackShape shape, BenchMode mode) {
        Path none = Path.of("unused");
        return new PeerJob("test", "test", shape, mode, none, none, mode == BenchMode.TRAIN ? none : null, none);
    }
}
