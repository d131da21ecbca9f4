package dev.lstm4j.peer.cudnn;

import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.conformance.Fp64Reference;
import dev.lstm4j.conformance.HostArrays;
import dev.lstm4j.conformance.ReferenceInputs;
import dev.lstm4j.conformance.ReferenceWeights;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.PeerEngine;
import dev.lstm4j.peer.PeerJob;
import dev.lstm4j.peer.StackShape;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CudnnEngineTest {
    private static final StackShape SHAPE = new StackShape(6, 3, 5, 7, 2, true);

    private static boolean gpuHere() {
        return new dev.lstm4j.cuda.CudaBackendProvider().probe().available();
    }

    @Test
    void withoutAGpuPreparingSaysWhy() {
        assumeFalse(gpuHere(), "a GPU is usable here; the gpu-tagged test covers this machine");
        var e = assertThrows(UnsupportedOperationException.class,
                () -> new CudnnEngine().prepare(job(BenchMode.INFERENCE), weights(), input(), null));
        assertTrue(e.getMessage().startsWith("no usable GPU: "), e.getMessage());
    }

    /** cuDNN's y through the peer agrees with the fp64 reference to float rounding. */
    @Tag("gpu")
    @Test
    void inferenceMatchesTheReference() throws Exception {
        assumeTrue(gpuHere(), "skipped: no usable GPU here");
        System.setProperty("lstm.cuda.rnn", "cudnn");
        try {
            PeerEngine engine = new CudnnEngine();
            try (PeerEngine.PreparedRun run = engine.prepare(job(BenchMode.INFERENCE), weights(), input(), null)) {
                run.run();
                float[] y = run.output().toFloats();
                double[] expected = new Fp64Reference(ReferenceWeights.random(spec(), 5)).forward(
                        new ReferenceInputs(6, 3, toDoubles(input().toFloats()), null, null, null)).y();
                assertEquals(expected.length, y.length);
                for (int k = 0; k < y.length; k++) {
                    assertEquals(expected[k], y[k], 2e-6, "y[" + k + "]");
                }
            }
            assertTrue(engine.version().matches("\\d+"), engine.version());
        } finally {
            System.clearProperty("lstm.cuda.rnn");
        }
    }

    private static RnnSpec spec() {
        return RnnSpec.lstm(5, 7).numLayers(2).bidirectional(true).build();
    }

    private static PeerJob job(BenchMode mode) {
        Path none = Path.of("unused");
        return new PeerJob("t-" + mode, "tiny", SHAPE, mode, none, none, null, none);
    }

    private static Map<String, NdArray> weights() {
        Map<String, NdArray> named = new LinkedHashMap<>();
        ReferenceWeights w = ReferenceWeights.random(spec(), 5);
        dev.lstm4j.api.ParameterLayout layout = new dev.lstm4j.api.ParameterLayout(spec());
        w.asMap().forEach((name, values) -> {
            float[] f = new float[values.length];
            for (int k = 0; k < f.length; k++) {
                f[k] = (float) values[k];
            }
            named.put(name, NdArray.of(f, layout.entry(name).shape()));
        });
        return named;
    }

    private static NdArray input() {
        double[] x = HostArrays.uniform(6 * 3 * 5, 6);
        float[] f = new float[x.length];
        for (int k = 0; k < f.length; k++) {
            f[k] = (float) x[k];
        }
        return NdArray.of(f, 6, 3, 5);
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            d[k] = f[k];
        }
        return d;
    }
}
