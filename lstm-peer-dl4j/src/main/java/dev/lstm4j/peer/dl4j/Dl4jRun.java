package dev.lstm4j.peer.dl4j;

import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.nd4j.Dl4jImport;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.PeerEngine;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * One prepared case on a DL4J network, driven the way DL4J's own "external errors" recipe drives a network
 * without an output layer:
 * <ul>
 *   <li>inference: {@code output(x, false)}, the inference-mode forward pass in DL4J's inference workspaces;</li>
 *   <li>training: {@code feedForward(true, false)} (training mode, layer inputs kept for backward), then
 *       {@code backpropGradient(dy)}, which fills the network's gradient view with dL/dW, dL/dRW, dL/db of every
 *       layer and returns dL/dx. DL4J's LSTM repeats its forward pass inside backward (its forward cache is
 *       disabled in this version), so a training step costs DL4J two forward passes.</li>
 * </ul>
 */
final class Dl4jRun implements PeerEngine.PreparedRun {
    private final BenchMode mode;
    private final MultiLayerNetwork net;
    private final INDArray x;    // [B, I, T] 'f'
    private final INDArray dy;   // [B, D*H, T] 'f', null for inference

    private INDArray y;                  // [B, D*H, T] of the last iteration
    private INDArray dx;                 // [B, I, T] of the last training iteration
    private List<INDArray> activations;  // x, then every layer's [B, D*H, T] output, of the last training forward
    private Gradient gradient;           // parameter gradients of the last training iteration

    Dl4jRun(BenchMode mode, MultiLayerNetwork net, INDArray x, INDArray dy) {
        this.mode = mode;
        this.net = net;
        this.x = x;
        this.dy = dy;
    }

    @Override
    public void run() {
        releaseResults();
        if (mode == BenchMode.INFERENCE) {
            y = net.output(x, false);
            return;
        }
        net.setInput(x);
        activations = net.feedForward(true, false);
        y = activations.get(activations.size() - 1);
        Pair<Gradient, INDArray> backward = net.backpropGradient(dy, LayerWorkspaceMgr.noWorkspaces());
        gradient = backward.getFirst();
        dx = backward.getSecond();
        // The layers would otherwise keep their inputs (the activations above) until the next iteration.
        net.clear();
    }

    /**
     * Frees the previous iteration's results, which DL4J hands out detached from its workspaces. Left to the
     * GC, their native memory piles up between old-generation collections (gigabytes over a few thousand
     * iterations, since the small Java objects that own it get promoted before they die).
     */
    private void releaseResults() {
        if (activations != null) {
            for (int k = 1; k < activations.size(); k++) {   // 0 is x, which this run owns
                release(activations.get(k));
            }
            activations = null;
        }
        release(y);
        release(dx);
        y = null;
        dx = null;
        gradient = null;
    }

    private static void release(INDArray a) {
        if (a != null && a.closeable()) {
            a.close();
        }
    }

    @Override
    public NdArray output() {
        requireRun(y, "output");
        return NcwLayout.toTimeMajor(y);
    }

    @Override
    public NdArray inputGradient() {
        if (mode != BenchMode.TRAIN) {
            throw new IllegalStateException("dL/dx exists only for training runs; this one is " + mode);
        }
        requireRun(dx, "inputGradient");
        return NcwLayout.toTimeMajor(dx);
    }

    /** dL/dW of the last training iteration in PyTorch's names and layouts (for tests). */
    Map<String, NdArray> weightGradients() {
        if (mode != BenchMode.TRAIN) {
            throw new IllegalStateException("weight gradients exist only for training runs; this one is " + mode);
        }
        requireRun(gradient, "weightGradients");
        return Dl4jImport.gradients(net, gradient);
    }

    @Override
    public void close() {
        releaseResults();
        // Frees parameters, gradients and this thread's workspaces now rather than at some later GC.
        net.close();
        release(x);
        release(dy);
    }

    private static void requireRun(Object result, String what) {
        if (result == null) {
            throw new IllegalStateException(what + "() needs a finished run() first");
        }
    }
}
