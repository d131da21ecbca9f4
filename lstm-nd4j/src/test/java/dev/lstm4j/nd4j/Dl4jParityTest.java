package dev.lstm4j.nd4j;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.InputGradients;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.TrainingForward;
import dev.lstm4j.api.io.NdArray;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same weights and inputs through Deeplearning4j's layers (nd4j-native, in this JVM) and through lstm4j's
 * CPU backend after {@link Dl4jImport}: the outputs, the input gradient and every weight gradient agree, in
 * FLOAT32 (to float rounding) and FLOAT64 (to 1e-10, which a wrong gate or peephole mapping cannot meet).
 * DL4J's gradients are mapped to PyTorch's names by {@link Dl4jImport#gradients}, the same mapping as the
 * weights', so a mapping error that happened to be symmetric would still show in the outputs.
 */
class Dl4jParityTest {
    private static final int SEQ = 7;
    private static final int BATCH = 3;
    private static Backend cpu;

    @BeforeAll
    static void backend() {
        cpu = Backends.select("cpu");
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void lstm(Precision p) {
        check(p, k -> lstm(5, 6), 1, 5, null);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void gravesLstmWithPeepholes(Precision p) {
        check(p, k -> graves(4, 5), 1, 4, null);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void bidirectional(Precision p) {
        check(p, k -> new Bidirectional(Bidirectional.Mode.CONCAT, lstm(k == 0 ? 4 : 10, 5)), 2, 4, null);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void maskedVariableLength(Precision p) {
        check(p, k -> lstm(4, 5), 1, 4, new int[] {SEQ, 4, 1});
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void maskedVariableLengthBidirectional(Precision p) {
        check(p, k -> new Bidirectional(Bidirectional.Mode.CONCAT, lstm(3, 4)), 1, 3, new int[] {2, SEQ, 5});
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void twoLayers(Precision p) {
        check(p, k -> lstm(k == 0 ? 5 : 6, 6), 2, 5, null);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void twoGravesLayers(Precision p) {
        check(p, k -> graves(k == 0 ? 3 : 4, 4), 2, 3, null);
    }

    enum Precision {
        FLOAT32(DataType.FLOAT, DType.FLOAT32, 2e-5),
        FLOAT64(DataType.DOUBLE, DType.FLOAT64, 1e-10);

        final DataType nd4j;
        final DType lstm4j;
        final double tolerance;   // relative to the largest magnitude of the compared array

        Precision(DataType nd4j, DType lstm4j, double tolerance) {
            this.nd4j = nd4j;
            this.lstm4j = lstm4j;
            this.tolerance = tolerance;
        }
    }

    private static LSTM lstm(int in, int out) {
        return new LSTM.Builder().nIn(in).nOut(out).activation(Activation.TANH)
                .gateActivationFunction(Activation.SIGMOID).dataFormat(RNNFormat.NCW).build();
    }

    private static GravesLSTM graves(int in, int out) {
        return new GravesLSTM.Builder().nIn(in).nOut(out).activation(Activation.TANH)
                .gateActivationFunction(Activation.SIGMOID).dataFormat(RNNFormat.NCW).build();
    }

    /** Builds a DL4J network of {@code layers} layers, runs both engines on it and compares everything. */
    private static void check(Precision p, IntFunction<Layer> layer, int layers, int features, int[] lengths) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7).dataType(p.nd4j)
                .list();
        for (int k = 0; k < layers; k++) {
            list.layer(k, layer.apply(k));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        // DL4J initialises the biases to constants (forget gate 1); random ones test the bias mapping too
        net.paramTable().forEach((key, value) -> {
            if (key.endsWith("b")) {
                value.assign(Nd4j.rand(p.nd4j, value.shape()).subi(0.5));
            }
        });
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(p.nd4j, BATCH, features, SEQ).subi(0.5).muli(2);   // NCW
        INDArray mask = lengths == null ? null : Nd4jTensors.maskFromLengths(lengths, SEQ, p.nd4j);

        INDArray y = dl4jForward(net, x, mask, layers);
        INDArray dy = Nd4j.rand(p.nd4j, y.shape()).subi(0.5);
        INDArray dx;
        Map<String, INDArray> dl4jGrads;
        if (lengths == null) {
            Pair<Gradient, INDArray> backward = net.backpropGradient(dy, LayerWorkspaceMgr.noWorkspaces());
            dl4jGrads = copies(backward.getFirst().gradientForVariable());
            dx = backward.getSecond().dup();
        } else {
            // The reference for variable lengths is DL4J run on each sequence alone, at its own length. In DL4J
            // 1.0.0-M2.1 a features mask given to the network's feedForward does not reach its LSTM layers
            // (outputs at padded steps are computed, a Bidirectional layer's reverse direction runs through the
            // padding first), so its masked batch agrees with that only at the valid steps of unidirectional
            // layers, checked here too.
            INDArray valid = mask.reshape(BATCH, 1, SEQ).broadcast(y.shape());
            dy.muli(valid);   // what a masked loss hands back: nothing at the padding
            PerSequence alone = new PerSequence(net, x, dy, lengths, layers);
            if (!(layer.apply(0) instanceof Bidirectional)) {
                assertClose("DL4J's masked batch at the valid steps", alone.y, y.mul(valid), p);
            }
            y = alone.y;
            dx = alone.dx;
            dl4jGrads = alone.grads;
        }

        ImportedRecurrent imported = Dl4jImport.fromNetwork(net);
        assertEquals(layers, imported.spec().numLayers());
        try (Rnn rnn = cpu.rnn(imported.spec(), p.lstm4j);
             Parameters params = imported.toParameters(cpu, p.lstm4j);
             Parameters grads = rnn.newParameters();
             Tensor xt = Nd4jTensors.sequenceToTensor(cpu, x, RnnFormat.NCW, p.lstm4j);
             Tensor dyt = Nd4jTensors.sequenceToTensor(cpu, dy, RnnFormat.NCW, p.lstm4j)) {
            RnnInputs inputs = lengths == null ? RnnInputs.of(xt) : RnnInputs.of(xt).withLengths(lengths);
            try (TrainingForward forward = rnn.forwardTraining(params, inputs)) {
                // past each length lstm4j's y is zero, as are the per-sequence reference's padded steps
                assertClose("y", y, Nd4jTensors.sequenceFromTensor(forward.outputs().y(), RnnFormat.NCW), p);
                try (InputGradients g = rnn.backwardData(forward.reserve(), OutputGradients.ofOutput(dyt))) {
                    assertClose("dx", dx, Nd4jTensors.sequenceFromTensor(g.dx(), RnnFormat.NCW), p);
                }
                rnn.backwardWeights(forward.reserve(), grads);
            }
            compareWeightGradients(net, dl4jGrads, grads, p);
        }
        net.close();
    }

    /** DL4J's training-mode forward pass: the last layer's output {@code [B, D*H, T]}, inputs kept for backward. */
    private static INDArray dl4jForward(MultiLayerNetwork net, INDArray x, INDArray mask, int layers) {
        net.setInput(x);
        net.setMask(mask);
        return net.feedForward(true, false).get(layers);
    }

    private static Map<String, INDArray> copies(Map<String, INDArray> gradients) {
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        gradients.forEach((k, v) -> out.put(k, v.dup()));   // DL4J reuses its gradient views on the next call
        return out;
    }

    /** DL4J on each sequence of the batch alone, cut to its length: y and dx padded with zeros, gradients summed. */
    private static final class PerSequence {
        final INDArray y;
        final INDArray dx;
        final Map<String, INDArray> grads = new java.util.LinkedHashMap<>();

        PerSequence(MultiLayerNetwork net, INDArray x, INDArray dy, int[] lengths, int layers) {
            INDArray yAll = null;
            dx = Nd4j.zeros(x.dataType(), x.shape());
            for (int b = 0; b < lengths.length; b++) {
                INDArrayIndex[] cut = {NDArrayIndex.interval(b, b + 1), NDArrayIndex.all(),
                        NDArrayIndex.interval(0, lengths[b])};
                INDArray yb = dl4jForward(net, x.get(cut).dup(), null, layers);
                if (yAll == null) {
                    yAll = Nd4j.zeros(x.dataType(), x.size(0), yb.size(1), x.size(2));
                }
                yAll.put(cut, yb);
                Pair<Gradient, INDArray> backward = net.backpropGradient(dy.get(cut).dup(),
                        LayerWorkspaceMgr.noWorkspaces());
                dx.put(cut, backward.getSecond());
                backward.getFirst().gradientForVariable().forEach((k, v) -> grads.merge(k, v.dup(), INDArray::addi));
            }
            y = yAll;
        }
    }

    /** DL4J's gradients under PyTorch's names ({@link Dl4jImport#gradients}), against lstm4j's. */
    private static void compareWeightGradients(MultiLayerNetwork net, Map<String, INDArray> dl4j, Parameters lstm4j,
                                               Precision p) {
        DefaultGradient gradient = new DefaultGradient();
        dl4j.forEach(gradient::setGradientFor);
        Map<String, NdArray> mapped = Dl4jImport.gradients(net, gradient);
        assertEquals(lstm4j.names(), List.copyOf(mapped.keySet()));
        mapped.forEach((name, expected) -> assertClose("d" + name, expected.toDoubles(), lstm4j.readDoubles(name), p));
    }

    private static double[] doubles(INDArray a) {
        assertTrue(a != null, "DL4J produced no gradient for a parameter");
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static void assertClose(String what, INDArray expected, INDArray actual, Precision p) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        assertClose(what, doubles(expected), doubles(actual), p);
    }

    private static void assertClose(String what, double[] expected, double[] actual, Precision p) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 1e-3;   // arrays near zero are compared absolutely
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        assertTrue(worst <= p.tolerance * scale, what + ": DL4J and lstm4j differ by " + worst + " at element " + at
                + " (DL4J " + (at < 0 ? "" : expected[at]) + ", lstm4j " + (at < 0 ? "" : actual[at]) + "), more than "
                + p.tolerance + " of the largest magnitude " + scale);
    }
}
