package dev.lstm4j.peer.cudnn;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.Closeables;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.InputGradients;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.TrainingForward;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.PeerEngine;
import dev.lstm4j.peer.PeerJob;
import dev.lstm4j.peer.StackShape;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * cuDNN's LSTM ({@code cudnnRNNForward}, {@code cudnnRNNBackwardData_v8}, {@code cudnnRNNBackwardWeights_v8}) on
 * the GPU, reached through lstm4j's cuda backend on its cuDNN path ({@code lstm.cuda.rnn=cudnn}, set by this
 * peer's JVM arguments). It is the reference the custom kernels are timed against on the same GPU: the same
 * call sequence per iteration as lstm4j's own case, only the recurrent implementation differs.
 */
public final class CudnnEngine implements PeerEngine {
    private Backend backend;   // opened on first use

    @Override
    public String name() {
        return "cudnn";
    }

    /** cuDNN's version number as the library reports it, e.g. {@code 91900}. */
    @Override
    public String version() {
        return backend().properties().getOrDefault("cudnn", "unknown");
    }

    /** cuDNN runs on the GPU: the thread count of the run does not apply. */
    @Override
    public void configureThreads(int threads) {
    }

    @Override
    public Map<String, String> provenance() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("engine", name());
        backend().properties().forEach(p::put);
        return p;
    }

    @Override
    public PreparedRun prepare(PeerJob job, Map<String, NdArray> weights, NdArray input, NdArray outputGradient) {
        Backend b = backend();
        if (!"cudnn".equals(b.properties().get("rnn"))) {
            throw new UnsupportedOperationException("this JVM's cuda backend runs the " + b.properties().get("rnn")
                    + " path; start the peer with -Dlstm.cuda.rnn=cudnn");
        }
        return new Run(b, job.shape(), job.mode(), weights, input, outputGradient);
    }

    /** The cuda backend, or an {@link UnsupportedOperationException} saying why there is none here. */
    private Backend backend() {
        if (backend == null) {
            try {
                backend = Backends.select("cuda");
            } catch (RuntimeException e) {
                throw new UnsupportedOperationException("no usable GPU: " + e.getMessage(), e);
            }
        }
        return backend;
    }

    /** One prepared case: weights, x and dy on the device, an iteration as lstm4j's own bench case runs it. */
    private static final class Run implements PreparedRun {
        private final Backend backend;
        private final BenchMode mode;
        private final StackShape shape;
        private final Rnn rnn;
        private final Parameters weights;
        private final Parameters gradients;
        private final Tensor x;
        private final Tensor dy;
        private float[] output;
        private float[] inputGradient;

        Run(Backend backend, StackShape shape, BenchMode mode, Map<String, NdArray> named, NdArray input,
            NdArray outputGradient) {
            this.backend = backend;
            this.mode = mode;
            this.shape = shape;
            RnnSpec spec = RnnSpec.lstm(shape.inputSize(), shape.hiddenSize()).numLayers(shape.numLayers())
                    .bidirectional(shape.bidirectional()).build();
            Rnn r = null;
            Parameters w = null;
            Parameters g = null;
            Tensor xs = null;
            try {
                r = backend.rnn(spec, DType.FLOAT32);
                w = r.newParameters();
                for (String name : w.names()) {
                    NdArray a = named.get(name);
                    if (a == null) {
                        throw new IllegalArgumentException("weights lack " + name);
                    }
                    w.write(name, a.toFloats());
                }
                g = mode == BenchMode.TRAIN ? r.newParameters() : null;
                xs = backend.tensor(input.toFloats(), shape.seqLen(), shape.batch(), shape.inputSize());
                this.dy = mode == BenchMode.TRAIN ? backend.tensor(outputGradient.toFloats(), shape.seqLen(),
                        shape.batch(), (long) shape.directions() * shape.hiddenSize()) : null;
            } catch (RuntimeException e) {
                Closeables.closeAll(xs, g, w, r);
                throw e;
            }
            this.rnn = r;
            this.weights = w;
            this.gradients = g;
            this.x = xs;
        }

        @Override
        public void run() {
            run(false);
        }

        private void run(boolean keep) {
            RnnInputs in = RnnInputs.of(x);
            if (mode == BenchMode.INFERENCE) {
                try (RnnOutputs out = rnn.forwardInference(weights, in)) {
                    backend.synchronize();
                    if (keep) {
                        output = out.y().toFloatArray();
                    }
                }
                return;
            }
            gradients.zero();
            try (TrainingForward f = rnn.forwardTraining(weights, in);
                 InputGradients ig = rnn.backwardData(f.reserve(), OutputGradients.ofOutput(dy))) {
                rnn.backwardWeights(f.reserve(), gradients);
                backend.synchronize();
                if (keep) {
                    output = f.outputs().y().toFloatArray();
                    inputGradient = ig.dx().toFloatArray();
                }
            }
        }

        @Override
        public NdArray output() {
            if (output == null) {
                run(true);
            }
            return NdArray.of(output, shape.seqLen(), shape.batch(), (long) shape.directions() * shape.hiddenSize());
        }

        @Override
        public NdArray inputGradient() {
            if (inputGradient == null) {
                run(true);
            }
            return NdArray.of(inputGradient, shape.seqLen(), shape.batch(), shape.inputSize());
        }

        @Override
        public void close() {
            Closeables.closeAll(dy, x, gradients, weights, rnn);
        }
    }
}
