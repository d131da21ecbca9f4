package dev.lstm4j.peer.dl4j;

import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.peer.StackShape;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Moves PyTorch-named LSTM weights into a DL4J network built by {@link Dl4jStack}, and DL4J's parameter
 * gradients back into PyTorch's names.
 *
 * <p>PyTorch keeps, per layer {@code k} and direction, {@code weight_ih_l{k} [4H, I_k]},
 * {@code weight_hh_l{k} [4H, H]}, {@code bias_ih_l{k} [4H]} and {@code bias_hh_l{k} [4H]}, rows in gate order
 * {@code i, f, g, o}. DL4J's {@code LSTM} keeps {@code W [I_k, 4H]}, {@code RW [H, 4H]} and one bias
 * {@code b [4H]}, columns in gate order {@code g, f, o, i} (block input first, input gate last). That order
 * was found by loading the weights under each of the 24 permutations and comparing y with the fp64
 * reference: only {@code g, f, o, i} agrees (to 5e-8; the others are off by 0.05 or more), and
 * {@code Dl4jEngineTest} keeps checking it. So
 * <pre>
 *   W[i, blk*H + j]  = weight_ih[gate(blk)*H + j, i]
 *   RW[h, blk*H + j] = weight_hh[gate(blk)*H + j, h]
 *   b[blk*H + j]     = bias_ih[gate(blk)*H + j] + bias_hh[gate(blk)*H + j]
 * </pre>
 * with {@code gate = (g, f, o, i)}. A bidirectional layer's parameters carry the prefix {@code f} (forward)
 * or {@code b} (reverse), e.g. {@code 1_bRW}.
 */
final class Dl4jParameters {
    /** PyTorch's gate index (i=0, f=1, g=2, o=3) of each of DL4J's four column blocks. */
    private static final int[] TORCH_GATE_OF_DL4J_BLOCK = {2, 1, 3, 0};
    private static final int GATES = 4;

    private Dl4jParameters() {
    }

    /** Copies every layer's weights into {@code net}; every tensor of the stack must be present. */
    static void load(MultiLayerNetwork net, StackShape shape, Map<String, NdArray> weights) {
        int hidden = shape.hiddenSize();
        for (int layer = 0; layer < shape.numLayers(); layer++) {
            int in = shape.layerInputSize(layer);
            for (int dir = 0; dir < shape.directions(); dir++) {
                float[] wIh = tensor(weights, torchName("weight_ih", layer, dir), GATES * hidden, in);   // [4H, I_k]
                float[] wHh = tensor(weights, torchName("weight_hh", layer, dir), GATES * hidden, hidden);   // [4H, H]
                float[] bIh = tensor(weights, torchName("bias_ih", layer, dir), GATES * hidden);   // [4H]
                float[] bHh = tensor(weights, torchName("bias_hh", layer, dir), GATES * hidden);   // [4H]
                float[] b = new float[GATES * hidden];
                for (int k = 0; k < b.length; k++) {
                    b[k] = bIh[k] + bHh[k];
                }
                assign(net, dl4jKey(shape, layer, dir, "W"), toColumnBlocks(wIh, hidden, in), in, GATES * hidden);
                assign(net, dl4jKey(shape, layer, dir, "RW"), toColumnBlocks(wHh, hidden, hidden), hidden,
                        GATES * hidden);
                assign(net, dl4jKey(shape, layer, dir, "b"), toColumnBlocks(b, hidden, 1), GATES * hidden);
            }
        }
    }

    /**
     * The parameter gradients of a backward pass in PyTorch's names and layouts. DL4J has one bias, so
     * {@code bias_ih} and {@code bias_hh} both get its gradient, as they would in PyTorch.
     */
    static Map<String, NdArray> toTorch(Gradient gradient, StackShape shape) {
        int hidden = shape.hiddenSize();
        Map<String, NdArray> out = new LinkedHashMap<>();
        for (int layer = 0; layer < shape.numLayers(); layer++) {
            int in = shape.layerInputSize(layer);
            for (int dir = 0; dir < shape.directions(); dir++) {
                float[] dW = gradientOf(gradient, dl4jKey(shape, layer, dir, "W"));    // [I_k, 4H]
                float[] dRW = gradientOf(gradient, dl4jKey(shape, layer, dir, "RW"));  // [H, 4H]
                float[] db = gradientOf(gradient, dl4jKey(shape, layer, dir, "b"));    // [4H]
                out.put(torchName("weight_ih", layer, dir), NdArray.of(fromColumnBlocks(dW, hidden, in),
                        GATES * hidden, in));
                out.put(torchName("weight_hh", layer, dir), NdArray.of(fromColumnBlocks(dRW, hidden, hidden),
                        GATES * hidden, hidden));
                float[] bias = fromColumnBlocks(db, hidden, 1);
                out.put(torchName("bias_ih", layer, dir), NdArray.of(bias, GATES * hidden));
                out.put(torchName("bias_hh", layer, dir), NdArray.of(bias, GATES * hidden));
            }
        }
        return out;
    }

    /** {@code weight_hh_l1_reverse} and the like. */
    static String torchName(String kind, int layer, int direction) {
        return kind + "_l" + layer + (direction == 1 ? "_reverse" : "");
    }

    /** {@code 0_W}, or {@code 1_bRW} for the reverse direction of a bidirectional layer. */
    static String dl4jKey(StackShape shape, int layer, int direction, String param) {
        String prefix = shape.bidirectional() ? (direction == 0 ? "f" : "b") : "";
        return layer + "_" + prefix + param;
    }

    /** PyTorch's {@code [4H, cols]} row-major, gates i,f,g,o, to DL4J's {@code [cols, 4H]} row-major, g,f,o,i. */
    private static float[] toColumnBlocks(float[] torch, int hidden, int cols) {
        int width = GATES * hidden;
        float[] out = new float[cols * width];   // [cols, 4H]
        for (int blk = 0; blk < GATES; blk++) {
            int gate = TORCH_GATE_OF_DL4J_BLOCK[blk];
            for (int j = 0; j < hidden; j++) {
                int row = gate * hidden + j;
                int col = blk * hidden + j;
                for (int c = 0; c < cols; c++) {
                    out[c * width + col] = torch[row * cols + c];
                }
            }
        }
        return out;
    }

    /** The inverse of {@link #toColumnBlocks}. */
    private static float[] fromColumnBlocks(float[] dl4j, int hidden, int cols) {
        int width = GATES * hidden;
        float[] out = new float[width * cols];   // [4H, cols]
        for (int blk = 0; blk < GATES; blk++) {
            int gate = TORCH_GATE_OF_DL4J_BLOCK[blk];
            for (int j = 0; j < hidden; j++) {
                int row = gate * hidden + j;
                int col = blk * hidden + j;
                for (int c = 0; c < cols; c++) {
                    out[row * cols + c] = dl4j[c * width + col];
                }
            }
        }
        return out;
    }

    private static float[] tensor(Map<String, NdArray> weights, String name, long... shape) {
        NdArray a = weights.get(name);
        if (a == null) {
            throw new IllegalArgumentException("weights lack '" + name + "'; they have " + weights.keySet());
        }
        if (!Arrays.equals(a.shape(), shape)) {
            throw new IllegalArgumentException("weight '" + name + "' has shape " + Arrays.toString(a.shape())
                    + ", the stack needs " + Arrays.toString(shape));
        }
        return a.toFloats();
    }

    /** Writes {@code rowMajor} into the parameter view {@code key}, whatever its storage order. */
    private static void assign(MultiLayerNetwork net, String key, float[] rowMajor, long... shape) {
        INDArray param = net.getParam(key);
        if (param == null || param.length() != rowMajor.length) {
            throw new IllegalStateException("DL4J parameter " + key + " is "
                    + (param == null ? "missing" : Arrays.toString(param.shape())) + ", expected "
                    + Arrays.toString(shape) + "; parameters: " + net.paramTable().keySet());
        }
        INDArray value = Nd4j.create(rowMajor, shape, 'c');
        param.assign(param.rank() == value.rank() ? value : value.reshape(param.shape()));
    }

    private static float[] gradientOf(Gradient gradient, String key) {
        INDArray g = gradient.gradientForVariable().get(key);
        if (g == null) {
            throw new IllegalStateException("no gradient for " + key + "; have " + gradient.gradientForVariable().keySet());
        }
        return g.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }
}
