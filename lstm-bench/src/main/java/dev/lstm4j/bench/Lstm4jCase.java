package dev.lstm4j.bench;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.CellType;
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
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.StackShape;

/**
 * One lstm4j benchmark case on one backend, ready to run: the stack, its weights, x and dy in the backend's
 * memory. An iteration is what an application does per batch: inference is one forward pass; a training step
 * zeroes the gradients, runs forward for training, backward data and backward weights. The last iteration's
 * y and dx stay readable for the agreement check with the peers.
 */
public final class Lstm4jCase implements AutoCloseable {
    private final Backend backend;
    private final BenchMode mode;
    private final Rnn rnn;
    private final Parameters weights;
    private final Parameters gradients;    // null for inference
    private final Tensor x;                // [T, B, I]
    private final Tensor dy;               // [T, B, D*H], null for inference
    private float[] lastOutput;            // [T, B, D*H], filled on request after an iteration
    private float[] lastInputGradient;     // [T, B, I]
    private boolean keepResults;

    private Lstm4jCase(Backend backend, BenchMode mode, Rnn rnn, Parameters weights, Parameters gradients,
                       Tensor x, Tensor dy) {
        this.backend = backend;
        this.mode = mode;
        this.rnn = rnn;
        this.weights = weights;
        this.gradients = gradients;
        this.x = x;
        this.dy = dy;
    }

    /** Builds the case; the caller closes it. Weights are {@code initUniform(}{@link CaseData#WEIGHT_SEED}{@code )}. */
    public static Lstm4jCase prepare(Backend backend, StackShape s, BenchMode mode) {
        return prepare(backend, s, mode, CaseData.generate(s));
    }

    /** As {@link #prepare(Backend, StackShape, BenchMode)} with another LSTM cell (the peephole LSTM). */
    public static Lstm4jCase prepare(Backend backend, StackShape s, BenchMode mode, CellType cell) {
        return prepare(backend, s, mode, CaseData.generate(s), cell);
    }

    static Lstm4jCase prepare(Backend backend, StackShape s, BenchMode mode, CaseData data) {
        return prepare(backend, s, mode, data, CellType.LSTM);
    }

    private static Lstm4jCase prepare(Backend backend, StackShape s, BenchMode mode, CaseData data, CellType cell) {
        RnnSpec spec = RnnSpec.builder().cell(cell).inputSize(s.inputSize()).hiddenSize(s.hiddenSize())
                .numLayers(s.numLayers()).bidirectional(s.bidirectional()).build();
        Rnn rnn = null;
        Parameters weights = null;
        Parameters gradients = null;
        Tensor x = null;
        Tensor dy = null;
        try {
            rnn = backend.rnn(spec, DType.FLOAT32);
            weights = rnn.initParameters(CaseData.WEIGHT_SEED);
            x = backend.tensor(data.x(), s.seqLen(), s.batch(), s.inputSize());
            if (mode == BenchMode.TRAIN) {
                gradients = rnn.newParameters();
                dy = backend.tensor(data.dy(), s.seqLen(), s.batch(), (long) s.directions() * s.hiddenSize());
            }
            return new Lstm4jCase(backend, mode, rnn, weights, gradients, x, dy);
        } catch (RuntimeException e) {
            Closeables.closeAll(dy, x, gradients, weights, rnn);
            throw e;
        }
    }

    /** The weights, e.g. to save them for the peers. */
    public Parameters weights() {
        return weights;
    }

    /** One iteration; returns when the backend has finished it. */
    public void run() {
        RnnInputs in = RnnInputs.of(x);
        if (mode == BenchMode.INFERENCE) {
            try (RnnOutputs out = rnn.forwardInference(weights, in)) {
                backend.synchronize();
                if (keepResults) {
                    lastOutput = out.y().toFloatArray();
                }
            }
        } else {
            gradients.zero();
            try (TrainingForward fwd = rnn.forwardTraining(weights, in);
                 InputGradients g = rnn.backwardData(fwd.reserve(), OutputGradients.ofOutput(dy))) {
                rnn.backwardWeights(fwd.reserve(), gradients);
                backend.synchronize();
                if (keepResults) {
                    lastOutput = fwd.outputs().y().toFloatArray();
                    lastInputGradient = g.dx().toFloatArray();
                }
            }
        }
    }

    /** Runs one more iteration that keeps y (and dx for training) for {@link #output()}. */
    public void runKeepingResults() {
        keepResults = true;
        try {
            run();
        } finally {
            keepResults = false;
        }
    }

    /** y {@code [T, B, D*H]} of the last {@link #runKeepingResults()}. */
    public float[] output() {
        return lastOutput;
    }

    /** dL/dx {@code [T, B, I]} of the last {@link #runKeepingResults()}; null for inference. */
    public float[] inputGradient() {
        return lastInputGradient;
    }

    @Override
    public void close() {
        Closeables.closeAll(dy, x, gradients, weights, rnn);
    }
}
