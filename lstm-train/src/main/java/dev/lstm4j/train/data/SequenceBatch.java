package dev.lstm4j.train.data;

import java.util.Objects;

/**
 * A batch of sequences on the host, time-major, with one target vector per sequence or per step.
 *
 * @param inputs        {@code [steps, batch, features]} row-major; steps past a sequence's length are padding
 * @param lengths       each sequence's length in {@code [1, steps]}
 * @param targets       {@code [batch, targetSize]} row-major, or {@code [steps, batch, targetSize]} with
 *                      {@code targetPerStep} (targets of padding steps are ignored); for classification, the
 *                      class index of each sequence or step ({@code targetSize} 1)
 * @param targetPerStep whether there is a target for every step rather than one per sequence
 */
public record SequenceBatch(float[] inputs, int steps, int batch, int features, int[] lengths, float[] targets,
                            int targetSize, boolean targetPerStep) {

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
        long expected = (targetPerStep ? (long) steps : 1) * batch * targetSize;
        if (targets.length != expected) {
            throw new IllegalArgumentException("targets must hold " + (targetPerStep ? "[" + steps + ", " : "[")
                    + batch + ", " + targetSize + "] = " + expected + " values, got " + targets.length);
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

    /** A batch with one target vector per sequence. */
    public SequenceBatch(float[] inputs, int steps, int batch, int features, int[] lengths, float[] targets,
                         int targetSize) {
        this(inputs, steps, batch, features, lengths, targets, targetSize, false);
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
