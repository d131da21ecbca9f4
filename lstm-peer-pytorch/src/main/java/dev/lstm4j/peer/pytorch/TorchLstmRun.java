package dev.lstm4j.peer.pytorch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.lstm4j.api.io.ArrayDType;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.PeerEngine;
import dev.lstm4j.peer.StackShape;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One job on {@code torch::lstm}, the fused op that {@code nn.LSTM.forward} calls (on CPU in float32 it runs
 * oneDNN's RNN primitive): time-major, zero initial state, PyTorch's equations per layer and direction,
 * <pre>
 *   i = σ(W_ii x + b_ii + W_hi h + b_hi)    f = σ(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)  o = σ(W_io x + b_io + W_ho h + b_ho)
 *   c' = f * c + i * g                       h' = o * tanh(c')
 * </pre>
 *
 * <p>An inference iteration is the forward pass with gradient recording off, as under {@code torch.no_grad()}
 * in {@code eval()} mode. A training iteration records the forward pass and runs backward from {@code y} with
 * the upstream gradient {@code dy} (zero for {@code h_n}, {@code c_n}), which computes {@code dx} and every
 * weight gradient. Each training iteration differentiates fresh leaf views of the stored parameters and
 * {@code x}, so gradients start unset as after {@code optimizer.zero_grad(set_to_none=True)}: nothing is
 * zeroed or accumulated between iterations.
 *
 * <p>Native memory: the prepared arrays belong to {@link #manager}; an iteration's arrays (outputs, leaves,
 * gradients) to its own sub-manager, which lives until the next iteration starts so that the last results can
 * be read, and is closed then or by {@link #close()}.
 */
final class TorchLstmRun implements PeerEngine.PreparedRun {
    private final StackShape shape;
    private final BenchMode mode;
    private final boolean bias;
    private final List<TorchParameters.Entry> entries;   // torch::lstm order
    private final NDManager manager;
    private final PtNDArray x;                            // [T, B, I]
    private final PtNDArray dy;                           // [T, B, D*H]; null for inference
    private final NDList params;                          // as entries, float32, not requiring grad
    private final NDList initialState;                    // h0, c0: [L*D, B, H] zeros

    private NDManager iteration;                          // the last iteration's arrays
    private PtNDArray y;                                  // [T, B, D*H] of the last iteration
    private PtNDArray xLeaf;                              // [T, B, I] the last training iteration's x
    private NDList paramLeaves;                           // the last training iteration's parameters

    private TorchLstmRun(StackShape shape, BenchMode mode, boolean bias, List<TorchParameters.Entry> entries,
                         NDManager manager, PtNDArray x, PtNDArray dy, NDList params, NDList initialState) {
        this.shape = shape;
        this.mode = mode;
        this.bias = bias;
        this.entries = entries;
        this.manager = manager;
        this.x = x;
        this.dy = dy;
        this.params = params;
        this.initialState = initialState;
    }

    /**
     * Copies the inputs into libtorch tensors owned by a new manager of {@code engine}.
     *
     * @param weights PyTorch-named float32 tensors; biases are used when any {@code bias_*} tensor is given
     * @throws IllegalArgumentException naming what does not fit {@code shape}
     */
    static TorchLstmRun create(Engine engine, StackShape shape, BenchMode mode, Map<String, NdArray> weights,
                               NdArray input, NdArray outputGradient) {
        boolean bias = weights.keySet().stream().anyMatch(name -> name.startsWith("bias_"));
        List<TorchParameters.Entry> entries = TorchParameters.of(shape, bias);
        requireNames(shape, entries, weights.keySet());
        long seqLen = shape.seqLen();
        long batch = shape.batch();
        long outWidth = (long) shape.directions() * shape.hiddenSize();
        requireFloat32("x", input, seqLen, batch, shape.inputSize());
        if (mode == BenchMode.TRAIN) {
            if (outputGradient == null) {
                throw new IllegalArgumentException("a training job needs the output gradient dy");
            }
            requireFloat32("dy", outputGradient, seqLen, batch, outWidth);
        }
        for (TorchParameters.Entry e : entries) {
            requireFloat32(e.name(), weights.get(e.name()), e.shape());
        }

        NDManager manager = engine.newBaseManager();
        try {
            PtNDArray x = tensor(manager, input);
            PtNDArray dy = mode == BenchMode.TRAIN ? tensor(manager, outputGradient) : null;
            NDList params = new NDList(entries.size());
            for (TorchParameters.Entry e : entries) {
                params.add(tensor(manager, weights.get(e.name())));
            }
            Shape stateShape = new Shape((long) shape.numLayers() * shape.directions(), batch, shape.hiddenSize());
            NDList initialState = new NDList(manager.zeros(stateShape, DataType.FLOAT32),
                    manager.zeros(stateShape, DataType.FLOAT32));
            return new TorchLstmRun(shape, mode, bias, entries, manager, x, dy, params, initialState);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public void run() {
        closeIteration();
        iteration = manager.newSubManager();
        if (mode == BenchMode.INFERENCE) {
            JniUtils.setGradMode(false);   // thread-local in libtorch: set it on the thread that runs
            NDList out = lstm(x, params, false);
            out.attach(iteration);
            y = (PtNDArray) out.get(0);
            return;
        }
        xLeaf = leaf(x);
        paramLeaves = new NDList(params.size());
        for (int k = 0; k < params.size(); k++) {
            paramLeaves.add(leaf((PtNDArray) params.get(k)));
        }
        NDList out;
        JniUtils.setGradMode(true);
        try {
            out = lstm(xLeaf, paramLeaves, true);
        } finally {
            JniUtils.setGradMode(false);
        }
        out.attach(iteration);
        y = (PtNDArray) out.get(0);
        // Synchronous on CPU: the gradients are in the leaves' .grad when this returns.
        JniUtils.backward(y, dy, false, false);
    }

    private NDList lstm(PtNDArray input, NDList weights, boolean train) {
        return JniUtils.lstm(input, initialState, weights, bias, shape.numLayers(), 0.0, train,
                shape.bidirectional(), false);
    }

    /** A view of {@code array}'s storage that is a new autograd leaf, owned by this iteration. */
    private PtNDArray leaf(PtNDArray array) {
        PtNDArray view = JniUtils.detachGradient(array);
        view.attach(iteration);
        JniUtils.attachGradient(view, true);
        return view;
    }

    @Override
    public NdArray output() {
        if (y == null) {
            throw new IllegalStateException("no output yet: run() has not been called");
        }
        return NdArray.of(y.toFloatArray(), shape.seqLen(), shape.batch(),
                (long) shape.directions() * shape.hiddenSize());
    }

    @Override
    public NdArray inputGradient() {
        requireTrained("input gradient");
        return NdArray.of(gradient("x", xLeaf), shape.seqLen(), shape.batch(), shape.inputSize());
    }

    /** The weight gradients of the last training iteration by PyTorch name, in {@code torch::lstm} order. */
    Map<String, NdArray> parameterGradients() {
        requireTrained("parameter gradients");
        Map<String, NdArray> grads = new LinkedHashMap<>();
        for (int k = 0; k < entries.size(); k++) {
            TorchParameters.Entry e = entries.get(k);
            grads.put(e.name(), NdArray.of(gradient(e.name(), (PtNDArray) paramLeaves.get(k)), e.shape()));
        }
        return grads;
    }

    /**
     * The name of the autograd node that produced the last training iteration's {@code y}, which tells which
     * kernel libtorch picked: {@code MkldnnRnnLayerBackward0} for oneDNN's RNN primitive.
     */
    String outputGradFn() {
        requireTrained("autograd node");
        return JniUtils.getGradientFunctionNames(y);
    }

    private void requireTrained(String what) {
        if (mode != BenchMode.TRAIN) {
            throw new IllegalStateException("no " + what + ": this is an inference job");
        }
        if (xLeaf == null) {
            throw new IllegalStateException("no " + what + " yet: run() has not been called");
        }
    }

    private static float[] gradient(String name, PtNDArray leaf) {
        PtNDArray grad = JniUtils.getGradient(leaf);
        if (grad == null) {
            throw new IllegalStateException("libtorch computed no gradient for " + name);
        }
        try (grad) {
            return grad.toFloatArray();
        }
    }

    private void closeIteration() {
        if (iteration != null) {
            iteration.close();
            iteration = null;
            y = null;
            xLeaf = null;
            paramLeaves = null;
        }
    }

    @Override
    public void close() {
        closeIteration();
        manager.close();   // DJL's managers ignore a second close
    }

    private static PtNDArray tensor(NDManager manager, NdArray array) {
        return (PtNDArray) manager.create(array.floats(), new Shape(array.shape()));
    }

    private static void requireNames(StackShape shape, List<TorchParameters.Entry> entries, Set<String> given) {
        Set<String> expected = new TreeSet<>();
        entries.forEach(e -> expected.add(e.name()));
        if (!expected.equals(given)) {
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(given);
            Set<String> unexpected = new TreeSet<>(given);
            unexpected.removeAll(expected);
            throw new IllegalArgumentException("the weights do not fit an LSTM of " + shape.describe() + ": missing "
                    + missing + ", unexpected " + unexpected);
        }
    }

    private static void requireFloat32(String name, NdArray array, long... expectedShape) {
        if (array.dtype() != ArrayDType.FLOAT32) {
            throw new IllegalArgumentException(name + " must be float32, got " + array.dtype());
        }
        if (!Arrays.equals(array.shape(), expectedShape)) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(array.shape()) + ", expected "
                    + Arrays.toString(expectedShape));
        }
    }
}
