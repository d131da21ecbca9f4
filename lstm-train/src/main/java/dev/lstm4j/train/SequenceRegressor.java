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
import dev.lstm4j.train.data.SequenceBatch;

import dev.lstm4j.api.io.NdArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * A recurrent stack read at each sequence's last valid step by a linear head, trained with mean squared
 * error: sequence-to-one regression (the adding problem, forecasting). Every tensor stays on the backend;
 * only the batch goes in and the loss comes out.
 */
public final class SequenceRegressor implements Model {
    private final Backend backend;
    private final DType dtype;
    private final Recurrent recurrent;
    private final Dense head;
    private final List<Parameter> parameters;
    private long trainingCalls;

    /** Parameters {@code rnn} (PyTorch's names inside) and {@code head.weight}, {@code head.bias}. */
    public SequenceRegressor(Backend backend, DType dtype, RnnSpec spec, int outputs, long seed) {
        if (spec.layout() != SequenceLayout.TIME_MAJOR) {
            throw new IllegalArgumentException("SequenceRegressor takes time-major batches, got a " + spec.layout()
                    + " stack");
        }
        this.backend = backend;
        this.dtype = dtype;
        Recurrent r = new Recurrent(backend, dtype, "rnn", spec, seed);
        try {
            head = new Dense(backend, dtype, "head", spec.outputSize(), outputs, seed + 1);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        recurrent = r;
        List<Parameter> all = new ArrayList<>(recurrent.parameters());
        all.addAll(head.parameters());
        parameters = List.copyOf(all);
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
     * Clears the gradients, runs forward and backward on {@code batch} and leaves the gradients of the mean
     * squared error in {@link #parameters()}; returns the loss.
     */
    public double trainStep(SequenceBatch batch) {
        for (Parameter p : parameters) {
            p.zeroGrad();
        }
        requireShape(batch);
        int[] rows = lastStepRows(batch);
        int width = recurrent.spec().outputSize();
        Tensor x = null;
        Tensor target = null;
        Tensor last = null;
        Tensor pred = null;
        Tensor dPred = null;
        Tensor dLast = null;
        Tensor dy = null;
        try {
            x = backend.tensor(dtype, batch.inputs(), batch.steps(), batch.batch(), batch.features());
            target = backend.tensor(dtype, batch.targets(), batch.batch(), batch.targetSize());
            RnnInputs inputs = inputs(x, batch).withDropoutSeed(trainingCalls++);
            try (TrainingForward forward = recurrent.rnn().forwardTraining(recurrent.params(), inputs)) {
                Tensor y = forward.outputs().y();
                last = backend.allocate(dtype, batch.batch(), width);
                backend.gatherRows(y.reshape((long) batch.steps() * batch.batch(), width), rows, last);
                pred = head.forward(last);
                dPred = backend.allocate(dtype, batch.batch(), batch.targetSize());
                double loss = backend.mseLoss(pred, target, dPred);
                dLast = head.backward(last, dPred);
                dy = backend.allocate(dtype, y.shape());
                backend.scatterAddRows(dLast, rows, dy.reshape((long) batch.steps() * batch.batch(), width));
                try (InputGradients ignored = recurrent.rnn().backwardData(forward.reserve(),
                        OutputGradients.ofOutput(dy))) {
                    recurrent.rnn().backwardWeights(forward.reserve(), recurrent.grads());
                }
                return loss;
            }
        } finally {
            Closeables.closeAll(x, target, last, pred, dPred, dLast, dy);
        }
    }

    /** Predictions {@code [batch, outputs]} for {@code batch} (its targets are ignored), row-major. */
    public double[] predict(SequenceBatch batch) {
        requireShape(batch);
        int[] rows = lastStepRows(batch);
        int width = recurrent.spec().outputSize();
        Tensor x = null;
        Tensor last = null;
        Tensor pred = null;
        try {
            x = backend.tensor(dtype, batch.inputs(), batch.steps(), batch.batch(), batch.features());
            try (RnnOutputs out = recurrent.rnn().forwardInference(recurrent.params(), inputs(x, batch))) {
                last = backend.allocate(dtype, batch.batch(), width);
                backend.gatherRows(out.y().reshape((long) batch.steps() * batch.batch(), width), rows, last);
            }
            pred = head.forward(last);
            return pred.toDoubleArray();
        } finally {
            Closeables.closeAll(x, last, pred);
        }
    }

    /**
     * This model as a {@link Trainer.Task}: step {@code s} trains on {@code batches.apply(s)}, validation is the
     * MSE on {@code validation}.
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

    /** Mean squared error of {@link #predict} against the batch's targets, computed in double. */
    public double evaluate(SequenceBatch batch) {
        double[] pred = predict(batch);
        float[] target = batch.targets();
        double sum = 0;
        for (int k = 0; k < pred.length; k++) {
            double d = pred[k] - target[k];
            sum += d * d;
        }
        return sum / pred.length;
    }

    private static RnnInputs inputs(Tensor x, SequenceBatch batch) {
        RnnInputs inputs = RnnInputs.of(x);
        return batch.fullLength() ? inputs : inputs.withLengths(batch.lengths());
    }

    /** Row of each sequence's last valid step in the time-major output viewed as {@code [T*B, width]}. */
    private static int[] lastStepRows(SequenceBatch batch) {
        int[] rows = new int[batch.batch()];
        for (int b = 0; b < rows.length; b++) {
            rows[b] = (batch.lengths()[b] - 1) * batch.batch() + b;
        }
        return rows;
    }

    private void requireShape(SequenceBatch batch) {
        if (batch.features() != recurrent.spec().inputSize() || batch.targetSize() != head.outputSize()) {
            throw new IllegalArgumentException("batch has " + batch.features() + " features and targets of "
                    + batch.targetSize() + "; the model takes " + recurrent.spec().inputSize() + " and predicts "
                    + head.outputSize());
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

    /** Loads every parameter from a {@link #stateDict()}-shaped map. */
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
