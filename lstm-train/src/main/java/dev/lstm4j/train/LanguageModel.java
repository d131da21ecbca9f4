package dev.lstm4j.train;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Closeables;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.InputGradients;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.SequenceLayout;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.TrainingForward;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.train.data.TokenStreams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A next-token model: token embedding, a recurrent stack, and a linear head at every step, trained with
 * softmax cross-entropy. Segments of a long text train one after another with the state carried between
 * them ({@link RecurrentState}); {@link TruncatedBptt} arranges that over a text.
 *
 * <p>Tokens come time-major, {@code tokens[t * batch + b]}; a negative target masks its step out of the
 * loss (padding). Everything but the token ids and the loss stays on the backend.
 */
public final class LanguageModel implements Model {
    private final Backend backend;
    private final DType dtype;
    private final Embedding embedding;
    private final Recurrent recurrent;
    private final Dense head;
    private final List<Parameter> parameters;
    private long trainingCalls;

    /**
     * Parameters {@code embedding.weight}, {@code rnn} (PyTorch's names inside), {@code head.weight} and
     * {@code head.bias}. The stack's input size is the embedding's width.
     */
    public LanguageModel(Backend backend, DType dtype, int vocabulary, RnnSpec spec, long seed) {
        if (spec.layout() != SequenceLayout.TIME_MAJOR) {
            throw new IllegalArgumentException("LanguageModel takes time-major tokens, got a " + spec.layout()
                    + " stack");
        }
        this.backend = backend;
        this.dtype = dtype;
        Embedding e = null;
        Recurrent r = null;
        try {
            e = new Embedding(backend, dtype, "embedding", vocabulary, spec.inputSize(), seed);
            r = new Recurrent(backend, dtype, "rnn", spec, seed + 1);
            head = new Dense(backend, dtype, "head", spec.outputSize(), vocabulary, seed + 2);
        } catch (RuntimeException ex) {
            Closeables.closeAll(r, e);
            throw ex;
        }
        embedding = e;
        recurrent = r;
        List<Parameter> all = new ArrayList<>(embedding.parameters());
        all.addAll(recurrent.parameters());
        all.addAll(head.parameters());
        parameters = List.copyOf(all);
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    public RnnSpec spec() {
        return recurrent.spec();
    }

    public int vocabulary() {
        return embedding.vocabulary();
    }

    /** A zero state for {@code batch} parallel streams. */
    public RecurrentState newState(int batch) {
        return new RecurrentState(backend, dtype, recurrent.spec(), batch);
    }

    /**
     * Clears the gradients, then forward and backward over one segment starting from {@code state}, which
     * then holds the segment's final state. Returns the mean cross-entropy (nats) over unmasked steps.
     */
    public double trainStep(int[] tokens, int[] targets, int steps, int batch, RecurrentState state) {
        for (Parameter p : parameters) {
            p.zeroGrad();
        }
        requireTokens(tokens, targets, steps, batch);
        int width = recurrent.spec().outputSize();
        long rows = (long) steps * batch;
        Tensor x = null;
        Tensor logits = null;
        Tensor dLogits = null;
        Tensor dHidden = null;
        try {
            x = embedding.forward(tokens);
            RnnInputs inputs = RnnInputs.of(x.reshape(steps, batch, embedding.dim()))
                    .withInitialState(state.h(), state.c()).withDropoutSeed(trainingCalls++);
            try (TrainingForward forward = recurrent.rnn().forwardTraining(recurrent.params(), inputs)) {
                RnnOutputs out = forward.outputs();
                Tensor hidden = out.y().reshape(rows, width);
                logits = head.forward(hidden);
                dLogits = backend.empty(dtype, rows, embedding.vocabulary());
                double loss = backend.softmaxCrossEntropy(logits, targets, dLogits);
                dHidden = head.backward(hidden, dLogits);
                try (InputGradients grads = recurrent.rnn().backwardData(forward.reserve(),
                        OutputGradients.ofOutput(dHidden.reshape(steps, batch, width)))) {
                    recurrent.rnn().backwardWeights(forward.reserve(), recurrent.grads());
                    embedding.backward(tokens, grads.dx().reshape(rows, embedding.dim()));
                }
                state.carry(out.hn(), out.cn());
                return loss;
            }
        } finally {
            Closeables.closeAll(x, logits, dLogits, dHidden);
        }
    }

    /** Mean cross-entropy (nats) of one segment from {@code state}, which then holds its final state; no gradients. */
    public double evaluate(int[] tokens, int[] targets, int steps, int batch, RecurrentState state) {
        requireTokens(tokens, targets, steps, batch);
        try (Tensor logits = logits(tokens, steps, batch, state);
             Tensor scratch = backend.empty(dtype, logits.shape())) {
            return backend.softmaxCrossEntropy(logits, targets, scratch);
        }
    }

    /**
     * Continues {@code prime} (at least one token) by {@code length} tokens sampled one at a time from the
     * softmax at {@code temperature} (lower is more conservative).
     */
    public int[] sample(int[] prime, int length, double temperature, SplittableRandom random) {
        if (prime.length == 0 || length < 0 || !(temperature > 0)) {
            throw new IllegalArgumentException("sampling needs a non-empty prime, length >= 0 and temperature > 0, "
                    + "got " + prime.length + " tokens, " + length + ", " + temperature);
        }
        int[] out = new int[length];
        try (RecurrentState state = newState(1)) {
            double[] last;
            try (Tensor logits = logits(prime, prime.length, 1, state)) {
                last = new double[vocabulary()];
                logits.copyTo((long) (prime.length - 1) * vocabulary(), last, 0, last.length);
            }
            for (int k = 0; k < length; k++) {
                out[k] = draw(last, temperature, random);
                try (Tensor logits = logits(new int[] {out[k]}, 1, 1, state)) {
                    last = logits.toDoubleArray();
                }
            }
        }
        return out;
    }

    private static int draw(double[] logits, double temperature, SplittableRandom random) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double[] weights = new double[logits.length];
        double sum = 0;
        for (int k = 0; k < logits.length; k++) {
            weights[k] = Math.exp((logits[k] - max) / temperature);
            sum += weights[k];
        }
        double u = random.nextDouble() * sum;
        for (int k = 0; k < weights.length; k++) {
            u -= weights[k];
            if (u < 0) {
                return k;
            }
        }
        return weights.length - 1;
    }

    /** The head's logits {@code [steps * batch, vocabulary]} from {@code state}, which then holds the final state. */
    private Tensor logits(int[] tokens, int steps, int batch, RecurrentState state) {
        int width = recurrent.spec().outputSize();
        try (Tensor x = embedding.forward(tokens);
             RnnOutputs out = recurrent.rnn().forwardInference(recurrent.params(),
                     RnnInputs.of(x.reshape(steps, batch, embedding.dim())).withInitialState(state.h(), state.c()))) {
            state.carry(out.hn(), out.cn());
            return head.forward(out.y().reshape((long) steps * batch, width));
        }
    }

    private void requireTokens(int[] tokens, int[] targets, int steps, int batch) {
        long rows = (long) steps * batch;
        if (steps < 1 || batch < 1 || tokens.length != rows || targets.length != rows) {
            throw new IllegalArgumentException("a segment of " + steps + " steps x " + batch + " streams needs "
                    + rows + " tokens and as many targets, got " + tokens.length + " and " + targets.length);
        }
    }

    /** Mean cross-entropy in bits per token over every segment of {@code streams}, from a zero state. */
    public double bitsPerToken(TokenStreams streams) {
        double nats = 0;
        try (RecurrentState state = newState(streams.batch())) {
            for (int k = 0; k < streams.segments(); k++) {
                TokenStreams.Segment segment = streams.segment(k);
                nats += evaluate(segment.tokens(), segment.targets(), streams.steps(), streams.batch(), state);
            }
        }
        return nats / streams.segments() / Math.log(2);
    }

    /** Every parameter as a host copy, in the layers' own names. */
    @Override
    public Map<String, NdArray> stateDict() {
        Map<String, NdArray> out = new LinkedHashMap<>();
        embedding.saveTo(out);
        recurrent.saveTo(out);
        head.saveTo(out);
        return out;
    }

    /** Loads every parameter from a {@link #stateDict()}-shaped map. */
    @Override
    public void loadStateDict(Map<String, NdArray> in) {
        embedding.loadFrom(in);
        recurrent.loadFrom(in);
        head.loadFrom(in);
    }

    @Override
    public void close() {
        Closeables.closeAll(head, recurrent, embedding);
    }
}
