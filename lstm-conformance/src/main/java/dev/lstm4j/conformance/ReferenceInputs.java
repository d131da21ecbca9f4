package dev.lstm4j.conformance;

import java.util.Arrays;

/**
 * The inputs of a reference forward pass, as plain arrays in the stack's layout.
 *
 * @param seqLen  {@code T}
 * @param batch   {@code B}
 * @param x       {@code [T, B, I]}, or {@code [B, T, I]} for a batch-first stack
 * @param h0      {@code [L*D, B, H]}, or null for zeros
 * @param c0      {@code [L*D, B, H]}, or null for zeros
 * @param lengths per-sequence lengths in {@code [1, T]}, or null for all {@code T}
 * @param dropoutSeed the seed of the dropout mask between layers (a training pass), or null for none
 */
public record ReferenceInputs(int seqLen, int batch, double[] x, double[] h0, double[] c0, int[] lengths,
                              Long dropoutSeed) {

    /** Inputs of a pass without dropout. */
    public ReferenceInputs(int seqLen, int batch, double[] x, double[] h0, double[] c0, int[] lengths) {
        this(seqLen, batch, x, h0, c0, lengths, null);
    }

    public ReferenceInputs {
        if (seqLen < 1 || batch < 1) {
            throw new IllegalArgumentException("T and B must be >= 1, got T = " + seqLen + ", B = " + batch);
        }
        x = x.clone();
        h0 = h0 == null ? null : h0.clone();
        c0 = c0 == null ? null : c0.clone();
        lengths = lengths == null ? null : lengths.clone();
        if (lengths != null) {
            if (lengths.length != batch) {
                throw new IllegalArgumentException("lengths needs " + batch + " entries, got " + lengths.length);
            }
            for (int len : lengths) {
                if (len < 1 || len > seqLen) {
                    throw new IllegalArgumentException("lengths must be in [1, " + seqLen + "], got "
                            + Arrays.toString(lengths));
                }
            }
        }
    }

    /** Full-length inputs with zero initial state. */
    public static ReferenceInputs of(int seqLen, int batch, double[] x) {
        return new ReferenceInputs(seqLen, batch, x, null, null, null);
    }

    /** Each sequence's length; {@code T} for all when no lengths were given. */
    public int[] effectiveLengths() {
        if (lengths != null) {
            return lengths.clone();
        }
        int[] full = new int[batch];
        Arrays.fill(full, seqLen);
        return full;
    }

    /** The same inputs with {@code x} replaced (for finite differences). */
    public ReferenceInputs withX(double[] newX) {
        return new ReferenceInputs(seqLen, batch, newX, h0, c0, lengths, dropoutSeed);
    }

    /** The same inputs with the initial states replaced. */
    public ReferenceInputs withInitialState(double[] newH0, double[] newC0) {
        return new ReferenceInputs(seqLen, batch, x, newH0, newC0, lengths, dropoutSeed);
    }

    /** The same inputs for a training pass with dropout drawn from {@code seed}. */
    public ReferenceInputs withDropoutSeed(long seed) {
        return new ReferenceInputs(seqLen, batch, x, h0, c0, lengths, seed);
    }
}
