package dev.lstm4j.nd4j;

import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.io.NdArray;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Imports the recurrent layers of a Deeplearning4j {@link MultiLayerNetwork} into lstm4j: {@code LSTM} (lstm4j's
 * LSTM), {@code GravesLSTM} (lstm4j's peephole LSTM) and either of them wrapped in {@code Bidirectional} (mode
 * CONCAT, as lstm4j and PyTorch concatenate the directions) or {@code LastTimeStep} (the import covers the
 * recurrent weights; the last step is then the caller's to take). Consecutive layers of one kind, width and
 * direction count become one multi-layer stack.
 *
 * <p>What lstm4j computes must be what DL4J computed, so layers that differ are refused by name rather than
 * approximated: activations other than tanh (cell) and sigmoid (gates), other bidirectional modes, and the
 * deprecated {@code GravesBidirectionalLSTM}. Input dropout and weight noise, which act only in training, are
 * not carried over. DL4J's single bias becomes {@code bias_ih}; {@code bias_hh} is zero.
 */
public final class Dl4jImport {
    private Dl4jImport() {
    }

    /** Every recurrent layer of {@code network}; they must be consecutive and form one stack. */
    public static ImportedRecurrent fromNetwork(MultiLayerNetwork network) {
        return imported(network, RecurrentLayers.all(network));
    }

    /** Layers {@code first} to {@code last} (inclusive) of {@code network}, which must form one stack. */
    public static ImportedRecurrent fromLayers(MultiLayerNetwork network, int first, int last) {
        return imported(network, RecurrentLayers.of(network, first, last));
    }

    /** The recurrent layers of a model saved by DL4J's {@code ModelSerializer} (a MultiLayerNetwork zip). */
    public static ImportedRecurrent fromModelFile(Path zip) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IOException("no DL4J model file at " + zip);
        }
        return fromNetwork(ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false));
    }

    /**
     * The gradients DL4J computed for the recurrent layers of {@code network} (from {@code backpropGradient} or
     * {@code computeGradientAndScore}), under PyTorch's names and in its layouts, so that they compare with
     * lstm4j's. DL4J's one bias stands for both of PyTorch's, so {@code bias_ih} and {@code bias_hh} both get
     * its gradient, as they would in PyTorch.
     */
    public static Map<String, NdArray> gradients(MultiLayerNetwork network, Gradient gradient) {
        RecurrentLayers layers = RecurrentLayers.all(network);
        return torchArrays(layers, gradient.gradientForVariable()::get, network.params().dataType(), true);
    }

    private static ImportedRecurrent imported(MultiLayerNetwork network, RecurrentLayers layers) {
        Map<String, NdArray> weights = torchArrays(layers, network.paramTable()::get, network.params().dataType(),
                false);
        return new ImportedRecurrent(layers.spec(), weights, layers.format(), layers.indices());
    }

    /**
     * DL4J arrays by key ({@code source}) as PyTorch's named arrays, in {@code state_dict} order; {@code bias_hh}
     * is a copy of the bias when {@code biasInBoth}, else zero.
     */
    private static Map<String, NdArray> torchArrays(RecurrentLayers layers, Function<String, INDArray> source,
                                                    DataType precision, boolean biasInBoth) {
        Map<String, NdArray> byName = new LinkedHashMap<>();
        for (RecurrentLayers.Block block : layers.blocks()) {
            int hidden = block.hidden();
            int rows = block.gateRows();
            double[] rw = values(source, block.dl4jPrefix() + "RW", (long) hidden * block.recurrentColumns());
            double[] bias = Dl4jGates.toTorch(values(source, block.dl4jPrefix() + "b", rows), 1, rows, hidden);
            String suffix = block.torchSuffix();
            byName.put("weight_ih" + suffix, array(Dl4jGates.toTorch(values(source, block.dl4jPrefix() + "W",
                    (long) block.inputs() * rows), block.inputs(), rows, hidden), precision, rows, block.inputs()));
            byName.put("weight_hh" + suffix, array(Dl4jGates.toTorch(rw, hidden, block.recurrentColumns(), hidden),
                    precision, rows, hidden));
            byName.put("bias_ih" + suffix, array(bias, precision, rows));
            byName.put("bias_hh" + suffix, array(biasInBoth ? bias : new double[rows], precision, rows));
            if (block.peephole()) {
                byName.put("weight_peephole" + suffix, array(Dl4jGates.peepholes(rw, hidden), precision, 3, hidden));
            }
        }
        Map<String, NdArray> ordered = new LinkedHashMap<>();
        for (String name : new ParameterLayout(layers.spec()).names()) {
            ordered.put(name, byName.get(name));
        }
        return ordered;
    }

    /** DL4J's array {@code key}, row-major in double, checked to have {@code size} elements. */
    private static double[] values(Function<String, INDArray> source, String key, long size) {
        INDArray value = source.apply(key);
        if (value == null) {
            throw new IllegalStateException("DL4J has no array " + key + " for this network");
        }
        if (value.length() != size) {
            throw new IllegalStateException("DL4J array " + key + " has shape "
                    + java.util.Arrays.toString(value.shape()) + ", expected " + size + " elements");
        }
        return value.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static NdArray array(double[] values, DataType precision, long... shape) {
        if (precision == DataType.DOUBLE) {
            return NdArray.of(values, shape);
        }
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return NdArray.of(floats, shape);
    }
}
