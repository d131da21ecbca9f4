package dev.lstm4j.api;

import java.util.Objects;

/**
 * The inputs of a forward pass.
 *
 * @param x       {@code [T, B, I]} (or {@code [B, T, I]} for a batch-first stack)
 * @param h0      initial hidden state {@code [L*D, B, H]}, or null for zeros
 * @param c0      initial cell state {@code [L*D, B, H]}, or null for zeros (LSTM only)
 * @param lengths per-sequence lengths, each in {@code [1, T]}, or null when every sequence has {@code T}
 *                steps. Semantics are PyTorch's packed sequences: outputs past a sequence's length are
 *                zero, {@code hn}/{@code cn} hold each sequence's state after its own last step, the
 *                reverse direction starts at each sequence's last step, and padding gets zero gradient.
 * @param dropoutSeed the seed of this training call's dropout mask ({@link DropoutMask}), or null; a stack
 *                    with dropout needs one per training step (e.g. the step number), so that masks differ
 *                    between steps yet every run and every backend draws the same; inference ignores it
 */
public record RnnInputs(Tensor x, Tensor h0, Tensor c0, int[] lengths, Long dropoutSeed) {

    public RnnInputs {
        Objects.requireNonNull(x, "x");
        lengths = lengths == null ? null : lengths.clone();
    }

    /** Inputs without a dropout seed. */
    public RnnInputs(Tensor x, Tensor h0, Tensor c0, int[] lengths) {
        this(x, h0, c0, lengths, null);
    }

    /** Inputs with zero initial state and full-length sequences. */
    public static RnnInputs of(Tensor x) {
        return new RnnInputs(x, null, null, null, null);
    }

    /** The same inputs with initial states (either may be null for zeros). */
    public RnnInputs withInitialState(Tensor h0, Tensor c0) {
        return new RnnInputs(x, h0, c0, lengths, dropoutSeed);
    }

    /** The same inputs with per-sequence lengths. */
    public RnnInputs withLengths(int... lengths) {
        return new RnnInputs(x, h0, c0, lengths, dropoutSeed);
    }

    /** The same inputs with the seed of this training call's dropout mask. */
    public RnnInputs withDropoutSeed(long seed) {
        return new RnnInputs(x, h0, c0, lengths, seed);
    }

    @Override
    public int[] lengths() {
        return lengths == null ? null : lengths.clone();
    }
}
