package dev.lstm4j.peer.pytorch;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.conformance.Fp64Reference;
import dev.lstm4j.conformance.HostArrays;
import dev.lstm4j.conformance.ReferenceForward;
import dev.lstm4j.conformance.ReferenceGradients;
import dev.lstm4j.conformance.ReferenceInputs;
import dev.lstm4j.conformance.ReferenceWeights;
import dev.lstm4j.peer.StackShape;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Random float32 weights, x and dy for a stack, and what the fp64 reference computes from exactly those
 * float values: y, dx and every weight gradient.
 */
record ReferenceCase(StackShape shape, boolean bias, Map<String, NdArray> weights, NdArray x, NdArray dy,
                     ReferenceForward forward, ReferenceGradients gradients) {

    static ReferenceCase of(StackShape shape, boolean bias, long seed) {
        RnnSpec spec = RnnSpec.lstm(shape.inputSize(), shape.hiddenSize()).numLayers(shape.numLayers())
                .bidirectional(shape.bidirectional()).bias(bias).build();
        Map<String, double[]> values = new LinkedHashMap<>();
        ReferenceWeights.random(spec, seed).asMap()
                .forEach((name, v) -> values.put(name, HostArrays.representable(v, DType.FLOAT32)));
        ReferenceWeights referenceWeights = ReferenceWeights.of(spec, values);
        Map<String, NdArray> weights = new LinkedHashMap<>();
        for (TorchParameters.Entry e : TorchParameters.of(shape, bias)) {
            weights.put(e.name(), NdArray.of(toFloats(values.get(e.name())), e.shape()));
        }

        int seqLen = shape.seqLen();
        int batch = shape.batch();
        int outWidth = shape.directions() * shape.hiddenSize();
        double[] x = HostArrays.representable(HostArrays.uniform(seqLen * batch * shape.inputSize(), seed + 1),
                DType.FLOAT32);
        double[] dy = HostArrays.representable(HostArrays.uniform(seqLen * batch * outWidth, seed + 2),
                DType.FLOAT32);
        Fp64Reference reference = new Fp64Reference(referenceWeights);
        ReferenceForward forward = reference.forward(ReferenceInputs.of(seqLen, batch, x));
        ReferenceGradients gradients = reference.backward(forward, dy, null, null);
        return new ReferenceCase(shape, bias, weights,
                NdArray.of(toFloats(x), seqLen, batch, shape.inputSize()),
                NdArray.of(toFloats(dy), seqLen, batch, outWidth), forward, gradients);
    }

    private static float[] toFloats(double[] a) {
        float[] out = new float[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = (float) a[k];
        }
        return out;
    }
}
