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
import dev.lstm4j.train.data.SequenceBatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * A recurrent stack over real-valued sequences with a linear head, read at each sequence's last valid step
 * (sequence-to-one) or at every valid step (sequence-to-sequence), trained with mean squared error
 * (regression) or softmax cross-entropy (classification). Padding steps take no part in the loss. Every
 * tensor stays on the backend; only the batch goes in and the loss comes out.
 */
public final class SequenceModel implements Model {

    /** Where the head reads the stack's output. */
    public enum Head { LAST_STEP, EVERY_STEP }

    /** What the head's output is trained against. */
    public enum Loss {
        /** Mean squared error against real targets, over every output of every read row. */
        MSE,
        /** Softmax cross-entropy against class indices, averaged over the read rows. */
        CROSS_ENTROPY
    }

    private final Backend backend;
    private final DType dtype;
    private final Head headMode;
    private final Loss loss;
    private final Recurrent recurrent;
    private final Dense head;
    private final List<Parameter> parameters;
    private long trainingCalls;

    /**
     * Parameters {@code rnn} (PyTorch's names inside) and {@code head.weight}, {@code head.bias};
     * {@code outputs} is the target width for MSE and the number of classes for cross-entropy.
     */
    public SequenceModel(Backend backend, DType dtype, RnnSpec spec, Head head, Loss loss, int outputs, long seed) {
        if (spec.layout() != SequenceLayout.TIME_MAJOR) {
            throw new IllegalArgumentException("SequenceModel takes time-major batches, got a " + spec.layout()
                    + " stack");
        }
        this.backend = backend;
        this.dtype = dtype;
        this.headMode = head;
        this.loss = loss;
        Recurrent r = new Recurrent(backend, dtype, "rnn", spec, seed);
        try {
            this.head = new Dense(backend, dtype, "head", spec.outputSize(), outputs, seed + 1);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        recurrent = r;
        List<Parameter> all = new ArrayList<>(recurrent.parameters());
        all.addAll(this.head.parameters());
        parameters = List.copyOf(all);
    }

    /** Sequence-to-one regression: the last valid step, mean squared error. */
    public static SequenceModel regressor(Backend backend, DType dtype, RnnSpec spec, int outputs, long seed) {
        return new SequenceModel(backend, dtype, spec, Head.LAST_STEP, Loss.MSE, outputs, seed);
    }

    /** Sequence classification: the last valid step, cross-entropy over {@code classes}. */
    public static SequenceModel classifier(Backend backend, DType dtype, RnnSpec spec, int classes, long seed) {
        return new SequenceModel(backend, dtype, spec, Head.LAST_STEP, Loss.CROSS_ENTROPY, classes, seed);
    }

    /** Sequence-to-sequence regression: every valid step, mean squared error. */
    public static SequenceModel sequenceRegressor(Backend backend, DType dtype, RnnSpec spec, int outputs, long seed) {
        return new SequenceModel(backend, dtype, spec, Head.EVERY_STEP, Loss.MSE, outputs, seed);
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    public Recurrent recurrent() {
        return recurrent;
    }

    public Dense head() {
        return head;
    }

    /**
     * Clears the gradients, runs forward and backward on {@code batch} and leaves the gradients of the loss in
     * {@link #parameters()}; returns the loss.
     */
    public double trainStep(SequenceBatch batch) {
        for (Parameter p : parameters) {
            p.zeroGrad();
        }
        Reads reads = reads(batch);
        int width = recurrent.spec().outputSize();
        Tensor x = null;
        Tensor picked = null;
        Tensor pred = null;
        Tensor dPred = null;
        Tensor dPicked = null;
        Tensor dy = null;
        try {
            x = backend.tensor(dtype, batch.inputs(), batch.steps(), batch.batch(), batch.features());
            RnnInputs inputs = inputs(x, batch).withDropoutSeed(trainingCalls++);
            try (TrainingForward forward = recurrent.rnn().forwardTraining(recurrent.params(), inputs)) {
                Tensor y = forward.outputs().y();
                picked = backend.empty(dtype, reads.rows.length, width);
                backend.gatherRows(y.reshape((long) batch.steps() * batch.batch(), width), reads.rows, picked);
                pred = head.forward(picked);
                dPred = backend.empty(dtype, pred.shape());
                double value = loss(pred, batch, reads, dPred);
                dPicked = head.backward(picked, dPred);
                dy = backend.allocate(dtype, y.shape());
                backend.scatterAddRows(dPicked, reads.rows, dy.reshape((long) batch.steps() * batch.batch(), width));
                try (InputGradients ignored = recurrent.rnn().backwardData(forward.reserve(),
                        OutputGradients.ofOutput(dy))) {
                    recurrent.rnn().backwardWeights(forward.reserve(), recurrent.grads());
                }
                return value;
            }
        } finally {
            Closeables.closeAll(x, picked, pred, dPred, dPicked, dy);
        }
    }

    /** The loss on {@code batch} without gradients: MSE, or cross-entropy in nats. */
    public double evaluate(SequenceBatch batch) {
        Reads reads = reads(batch);
        try (Tensor pred = forward(batch, reads.rows);
             Tensor scratch = backend.empty(dtype, pred.shape())) {
            return loss(pred, batch, reads, scratch);
        }
    }

    /**
     * The head's outputs, row-major: {@code [batch, outputs]} at the last valid step, or
     * {@code [steps, batch, outputs]} at every step (zero past a sequence's length). Targets are ignored.
     */
    public double[] predict(SequenceBatch batch) {
        Reads reads = reads(batch);
        int outputs = head.outputSize();
        double[] read;
        try (Tensor pred = forward(batch, reads.rows)) {
            read = pred.toDoubleArray();
        }
        if (headMode == Head.LAST_STEP) {
            return read;
        }
        double[] out = new double[batch.steps() * batch.batch() * outputs];
        for (int r = 0; r < reads.rows.length; r++) {
            System.arraycopy(read, r * outputs, out, reads.rows[r] * outputs, outputs);
        }
        return out;
    }

    /** For cross-entropy models: the fraction of read rows whose largest output is the target class. */
    public double accuracy(SequenceBatch batch) {
        if (loss != Loss.CROSS_ENTROPY) {
            throw new IllegalStateException("accuracy needs a cross-entropy model, this one trains with " + loss);
        }
        Reads reads = reads(batch);
        int classes = head.outputSize();
        double[] logits;
        try (Tensor pred = forward(batch, reads.rows)) {
            logits = pred.toDoubleArray();
        }
        int right = 0;
        for (int r = 0; r < reads.rows.length; r++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (logits[r * classes + k] > logits[r * classes + best]) {
                    best = k;
                }
            }
            if (best == reads.labels[r]) {
                right++;
            }
        }
        return (double) right / reads.rows.length;
    }

    /**
     * This model as a {@link Trainer.Task}: step {@code s} trains on {@code batches.apply(s)}, validation is the
     * loss on {@code validation}.
     */
    public Trainer.Task task(LongFunction<SequenceBatch> batches, SequenceBatch validation) {
        return new Trainer.Task() {
            @Override
            public List<Parameter> parameters() {
                return parameters;
            }

            @Override
            public Trainer.StepLoss step(long step) {
                SequenceBatch batch = batches.apply(step);
                long tokens = 0;
                for (int len : batch.lengths()) {
                    tokens += len;
                }
                return new Trainer.StepLoss(trainStep(batch), tokens);
            }

            @Override
            public double validate() {
                return evaluate(validation);
            }
        };
    }

    /** The head's output {@code [rows.length, outputs]} at {@code rows} of the stack's output, without gradients. */
    private Tensor forward(SequenceBatch batch, int[] rows) {
        int width = recurrent.spec().outputSize();
        try (Tensor x = backend.tensor(dtype, batch.inputs(), batch.steps(), batch.batch(), batch.features());
             RnnOutputs out = recurrent.rnn().forwardInference(recurrent.params(), inputs(x, batch));
             Tensor picked = backend.empty(dtype, rows.length, width)) {
            backend.gatherRows(out.y().reshape((long) batch.steps() * batch.batch(), width), rows, picked);
            return head.forward(picked);
        }
    }

    private double loss(Tensor pred, SequenceBatch batch, Reads reads, Tensor dPred) {
        if (loss == Loss.CROSS_ENTROPY) {
            return backend.softmaxCrossEntropy(pred, reads.labels, dPred);
        }
        int k = batch.targetSize();
        float[] all = batch.targets();
        float[] picked = new float[reads.rows.length * k];
        for (int r = 0; r < reads.rows.length; r++) {
            System.arraycopy(all, reads.targetRows[r] * k, picked, r * k, k);
        }
        try (Tensor target = backend.tensor(dtype, picked, reads.rows.length, k)) {
            return backend.mseLoss(pred, target, dPred);
        }
    }

    private static RnnInputs inputs(Tensor x, SequenceBatch batch) {
        RnnInputs inputs = RnnInputs.of(x);
        return batch.fullLength() ? inputs : inputs.withLengths(batch.lengths());
    }

    /**
     * The rows of the stack's output viewed as {@code [T*B, width]} that the head reads, the row of the
     * targets each one answers to and, for cross-entropy, their class indices.
     */
    private record Reads(int[] rows, int[] targetRows, int[] labels) {
    }

    private Reads reads(SequenceBatch batch) {
        requireShape(batch);
        int b = batch.batch();
        int[] lengths = batch.lengths();
        int[] rows;
        int[] targetRows;
        if (headMode == Head.LAST_STEP) {
            rows = new int[b];
            targetRows = new int[b];
            for (int s = 0; s < b; s++) {
                rows[s] = (lengths[s] - 1) * b + s;
                targetRows[s] = s;
            }
        } else {
            int count = 0;
            for (int len : lengths) {
                count += len;
            }
            rows = new int[count];
            int r = 0;
            for (int t = 0; t < batch.steps(); t++) {
                for (int s = 0; s < b; s++) {
                    if (t < lengths[s]) {
                        rows[r++] = t * b + s;
                    }
                }
            }
            targetRows = rows;
        }
        return new Reads(rows, targetRows, loss == Loss.CROSS_ENTROPY ? labels(batch, targetRows) : null);
    }

    private int[] labels(SequenceBatch batch, int[] targetRows) {
        float[] targets = batch.targets();
        int[] labels = new int[targetRows.length];
        for (int r = 0; r < labels.length; r++) {
            float v = targets[targetRows[r]];
            if (v != Math.rint(v) || v < 0 || v >= head.outputSize()) {
                throw new IllegalArgumentException("a class index in [0, " + head.outputSize() + ") expected as "
                        + "target of row " + targetRows[r] + ", got " + v);
            }
            labels[r] = (int) v;
        }
        return labels;
    }

    private void requireShape(SequenceBatch batch) {
        int expectedTargets = loss == Loss.CROSS_ENTROPY ? 1 : head.outputSize();
        if (batch.features() != recurrent.spec().inputSize() || batch.targetSize() != expectedTargets
                || batch.targetPerStep() != (headMode == Head.EVERY_STEP)) {
            throw new IllegalArgumentException("batch has " + batch.features() + " features and "
                    + (batch.targetPerStep() ? "per-step" : "per-sequence") + " targets of " + batch.targetSize()
                    + "; the model takes " + recurrent.spec().inputSize() + " features and "
                    + (headMode == Head.EVERY_STEP ? "per-step" : "per-sequence") + " targets of " + expectedTargets
                    + (loss == Loss.CROSS_ENTROPY ? " (a class index)" : ""));
        }
    }

    /** Every parameter as a host copy: {@code rnn.weight_ih_l0}, ... in PyTorch's names, then the head's. */
    @Override
    public Map<String, NdArray> stateDict() {
        Map<String, NdArray> out = new LinkedHashMap<>();
        recurrent.saveTo(out);
        head.saveTo(out);
        return out;
    }

    @Override
    public void loadStateDict(Map<String, NdArray> in) {
        recurrent.loadFrom(in);
        head.loadFrom(in);
    }

    @Override
    public void close() {
        Closeables.closeAll(head, recurrent);
    }
}
