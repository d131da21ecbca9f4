package dev.lstm4j.train.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Variable-length sequences with their targets, served as padded, shuffled batches. Each epoch visits every
 * sequence once in an order drawn from the seed and the epoch number, so batch {@code k} is a function of
 * {@code k} alone: a resumed run gets the batches an uninterrupted one would. A batch is padded to its
 * longest sequence; the last partial batch of an epoch is dropped so that every batch has the same size.
 */
public final class SequenceDataset {
    private final List<Example> examples;
    private final int features;
    private final int targetSize;
    private final boolean targetPerStep;

    /**
     * One sequence.
     *
     * @param inputs  {@code [length, features]} row-major
     * @param targets {@code [targetSize]}, or {@code [length, targetSize]} for per-step targets
     */
    public record Example(float[] inputs, float[] targets) {
        public Example {
            Objects.requireNonNull(inputs, "inputs");
            Objects.requireNonNull(targets, "targets");
        }
    }

    public SequenceDataset(List<Example> examples, int features, int targetSize, boolean targetPerStep) {
        if (examples.isEmpty() || features < 1 || targetSize < 1) {
            throw new IllegalArgumentException("a dataset needs examples, features >= 1 and targetSize >= 1, got "
                    + examples.size() + " examples, " + features + ", " + targetSize);
        }
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            int length = e.inputs().length / features;
            if (length < 1 || e.inputs().length % features != 0) {
                throw new IllegalArgumentException("example " + i + " has " + e.inputs().length + " input values, "
                        + "not a positive multiple of " + features + " features");
            }
            int expected = (targetPerStep ? length : 1) * targetSize;
            if (e.targets().length != expected) {
                throw new IllegalArgumentException("example " + i + " has " + e.targets().length + " target values, "
                        + "expected " + expected);
            }
        }
        this.examples = List.copyOf(examples);
        this.features = features;
        this.targetSize = targetSize;
        this.targetPerStep = targetPerStep;
    }

    public int size() {
        return examples.size();
    }

    /** Full batches of {@code batch} per epoch. */
    public int batchesPerEpoch(int batch) {
        requireBatch(batch);
        return examples.size() / batch;
    }

    /** Batch {@code index} (from 0, across epochs) of size {@code batch}, shuffled by {@code seed}. */
    public SequenceBatch batch(long index, int batch, long seed) {
        int perEpoch = batchesPerEpoch(batch);
        long epoch = index / perEpoch;
        int[] order = permutation(examples.size(), Seeds.forStep(seed, epoch));
        int first = (int) (index % perEpoch) * batch;
        List<Example> chosen = new ArrayList<>(batch);
        for (int k = 0; k < batch; k++) {
            chosen.add(examples.get(order[first + k]));
        }
        return pad(chosen);
    }

    /** Every example in its stored order, as batches of at most {@code batch} (the last may be smaller). */
    public List<SequenceBatch> inOrder(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        List<SequenceBatch> out = new ArrayList<>();
        for (int from = 0; from < examples.size(); from += batch) {
            out.add(pad(examples.subList(from, Math.min(examples.size(), from + batch))));
        }
        return out;
    }

    private SequenceBatch pad(List<Example> chosen) {
        int b = chosen.size();
        int[] lengths = new int[b];
        int steps = 0;
        for (int s = 0; s < b; s++) {
            lengths[s] = chosen.get(s).inputs().length / features;
            steps = Math.max(steps, lengths[s]);
        }
        float[] x = new float[steps * b * features];
        float[] y = new float[(targetPerStep ? steps : 1) * b * targetSize];
        for (int s = 0; s < b; s++) {
            Example e = chosen.get(s);
            for (int t = 0; t < lengths[s]; t++) {
                System.arraycopy(e.inputs(), t * features, x, (t * b + s) * features, features);
                if (targetPerStep) {
                    System.arraycopy(e.targets(), t * targetSize, y, (t * b + s) * targetSize, targetSize);
                }
            }
            if (!targetPerStep) {
                System.arraycopy(e.targets(), 0, y, s * targetSize, targetSize);
            }
        }
        return new SequenceBatch(x, steps, b, features, lengths, y, targetSize, targetPerStep);
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {   // Fisher-Yates
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    private void requireBatch(int batch) {
        if (batch < 1 || batch > examples.size()) {
            throw new IllegalArgumentException("batch must be in [1, " + examples.size() + "], got " + batch);
        }
    }
}
