package dev.lstm4j.peer.dl4j;

import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.conformance.Fp64Reference;
import dev.lstm4j.conformance.ReferenceForward;
import dev.lstm4j.conformance.ReferenceGradients;
import dev.lstm4j.conformance.ReferenceInputs;
import dev.lstm4j.conformance.ReferenceWeights;
import dev.lstm4j.peer.StackShape;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded case with its fp64 reference answer. Weights, x and dy are rounded to float32 before the reference
 * sees them, so the comparison measures only DL4J's float arithmetic.
 */
record ReferenceCase(StackShape shape, Map<String, NdArray> weights, NdArray x, NdArray dy,
                     ReferenceForward forward, ReferenceGradients gradients) {

    static ReferenceCase of(StackShape shape, long seed) {
        RnnSpec spec = RnnSpec.lstm(shape.inputSize(), shape.hiddenSize())
                .numLayers(shape.numLayers()).bidirectional(shape.bidirectional()).build();
        Map<String, double[]> rounded = new LinkedHashMap<>();
        Map<String, NdArray> weights = new LinkedHashMap<>();
        ReferenceWeights.random(spec, seed).asMap().forEach((name, values) -> {
            float[] f = toFloats(values);
            rounded.put(name, toDoubles(f));
            weights.put(name, NdArray.of(f, shapeOf(name, shape, f.length)));
        });
        SplittableRandom random = new SplittableRandom(seed + 1);
        float[] x = uniform(random, shape.seqLen() * shape.batch() * shape.inputSize());
        float[] dy = uniform(random, shape.seqLen() * shape.batch() * shape.directions() * shape.hiddenSize());
        Fp64Reference reference = new Fp64Reference(ReferenceWeights.of(spec, rounded));
        ReferenceForward fwd = reference.forward(ReferenceInputs.of(shape.seqLen(), shape.batch(), toDoubles(x)));
        ReferenceGradients grads = reference.backward(fwd, toDoubles(dy), null, null);
        return new ReferenceCase(shape, weights,
                NdArray.of(x, shape.seqLen(), shape.batch(), shape.inputSize()),
                NdArray.of(dy, shape.seqLen(), shape.batch(), (long) shape.directions() * shape.hiddenSize()),
                fwd, grads);
    }

    /** [4H, I_k], [4H, H] or [4H], as PyTorch stores them. */
    private static long[] shapeOf(String name, StackShape shape, int size) {
        long rows = 4L * shape.hiddenSize();
        return name.startsWith("bias") ? new long[] {rows} : new long[] {rows, size / rows};
    }

    private static float[] uniform(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            v[k] = (float) random.nextDouble(-1, 1);
        }
        return v;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int k = 0; k < d.length; k++) {
            f[k] = (float) d[k];
        }
        return f;
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            d[k] = f[k];
        }
        return d;
    }
}
