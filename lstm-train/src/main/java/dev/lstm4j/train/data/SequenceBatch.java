package dev.lstm4j.train.data;

import java.util.Objects;

/**
 * A batch of sequences on the host, time-major, with one target vector per sequence.
 *
 * @param inputs     {@code [steps, batch, features]} row-major; steps past a sequence's length are padding
 * @param lengths    each sequence's length in {@code [1, steps]}
 * @param targets    {@code [batch, targetSize]} row-major
 */
public record SequenceBatch(float[] inputs, int steps, int batch, int features, int[] lengths, float[] targets,
                            int targetSize) {

    public SequenceBatch {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(lengths, "lengths");
        Objects.requireNonNull(targets, "targets");
        if (steps < 1 || batch < 1 || features < 1 || targetSize < 1) {
            throw new IllegalArgumentException("steps, batch, features and targetSize must be >= 1, got " + steps
                    + ", " + batch + ", " + features + ", " + targetSize);
        }
        if (inputs.length != (long) steps * batch * features) {
            throw new IllegalArgumentException("inputs must hold [" + steps + ", " + batch + ", " + features
                    + "] = " + (long) steps * batch * features + " values, got " + inputs.length);
        }
        if (targets.length != (long) batch * targetSize) {
            throw new IllegalArgumentException("targets must hold [" + batch + ", " + targetSize + "] = "
                    + (long) batch * targetSize + " values, got " + targets.length);
        }
        if (lengths.length != batch) {
            throw new IllegalArgumentException("one length per sequence (" + batch + ") needed, got " + lengths.length);
        }
        for (int len : lengths) {
            if (len < 1 || len > steps) {
                throw new IllegalArgumentException("lengths must be in [1, " + steps + "], got " + len);
            }
        }
    }

    /** True when every sequence has all {@link #steps()} steps. */
    public boolean fullLength() {
        for (int len : lengths) {
            if (len != steps) {
                return false;
            }
        }
        return true;
    }
}
