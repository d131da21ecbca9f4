package dev.lstm4j.nd4j;

import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.io.NdArray;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes PyTorch-layout LSTM weights (lstm4j's parameters, or a PyTorch {@code state_dict}) into the recurrent
 * layers of a DL4J network built to match: the inverse of {@link Dl4jImport}, for serving a model trained with
 * lstm4j where DL4J runs. DL4J has one bias per gate, so it gets {@code bias_ih + bias_hh}.
 */
public final class Dl4jExport {
    private Dl4jExport() {
    }

    /** Copies {@code parameters} into the recurrent layers of {@code network}, which must form the same stack. */
    public static void copyInto(Parameters parameters, MultiLayerNetwork network) {
        Map<String, NdArray> weights = new LinkedHashMap<>();
        for (String name : parameters.names()) {
            weights.put(name, NdArray.of(parameters.readDoubles(name), parameters.shape(name)));
        }
        copyInto(weights, network);
    }

    /**
     * Copies {@code weights} (PyTorch's names and shapes; float or double) into the recurrent layers of
     * {@code network}; every parameter of the network's stack must be there with its shape.
     */
    public static void copyInto(Map<String, NdArray> weights, MultiLayerNetwork network) {
        RecurrentLayers layers = RecurrentLayers.all(network);
        ParameterLayout layout = new ParameterLayout(layers.spec());
        for (String name : layout.names()) {
            NdArray array = weights.get(name);
            if (array == null) {
                throw new IllegalArgumentException("weights lack '" + name + "', a parameter of the network's stack "
                        + layers.spec() + "; they have " + weights.keySet());
            }
            if (!Arrays.equals(array.shape(), layout.entry(name).shape())) {
                throw new IllegalArgumentException("weight '" + name + "' has shape " + Arrays.toString(array.shape())
                        + ", the network's stack needs " + Arrays.toString(layout.entry(name).shape()));
            }
        }
        for (RecurrentLayers.Block block : layers.blocks()) {
            int hidden = block.hidden();
            int rows = block.gateRows();
            String suffix = block.torchSuffix();
            double[] bias = weights.get("bias_ih" + suffix).toDoubles();
            double[] biasHh = weights.get("bias_hh" + suffix).toDoubles();
            for (int i = 0; i < rows; i++) {
                bias[i] += biasHh[i];
            }
            double[] recurrent = new double[hidden * block.recurrentColumns()];
            Dl4jGates.fromTorch(weights.get("weight_hh" + suffix).toDoubles(), hidden, block.recurrentColumns(), hidden,
                    recurrent);
            if (block.peephole()) {
                Dl4jGates.putPeepholes(weights.get("weight_peephole" + suffix).toDoubles(), hidden, recurrent);
            }
            double[] input = new double[block.inputs() * rows];
            Dl4jGates.fromTorch(weights.get("weight_ih" + suffix).toDoubles(), block.inputs(), rows, hidden, input);
            double[] dl4jBias = new double[rows];
            Dl4jGates.fromTorch(bias, 1, rows, hidden, dl4jBias);
            assign(network, block.dl4jPrefix() + "W", input, block.inputs(), rows);
            assign(network, block.dl4jPrefix() + "RW", recurrent, hidden, block.recurrentColumns());
            assign(network, block.dl4jPrefix() + "b", dl4jBias, 1, rows);
        }
    }

    /** Writes row-major {@code values} into the network's parameter view {@code key}, whatever its order. */
    private static void assign(MultiLayerNetwork network, String key, double[] values, long rows, long columns) {
        INDArray param = network.getParam(key);
        if (param == null || param.length() != values.length) {
            throw new IllegalStateException("DL4J parameter " + key + " is "
                    + (param == null ? "missing" : Arrays.toString(param.shape())) + ", expected [" + rows + ", "
                    + columns + "]");
        }
        INDArray value = Nd4j.create(values, new long[] {rows, columns}, 'c').castTo(param.dataType());
        param.assign(value.reshape(param.shape()));
    }
}
