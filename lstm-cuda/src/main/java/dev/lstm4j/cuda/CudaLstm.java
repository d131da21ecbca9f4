package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Closeables;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.InputGradients;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.SequenceLayout;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.TrainingForward;
import dev.lstm4j.api.TrainingReserve;
import dev.lstm4j.api.spi.RnnCallCheck;
import dev.lstm4j.api.spi.RnnCallCheck.BatchShape;

/**
 * LSTM stack on the CUDA backend: the public operations, argument checks and ownership. The device work is
 * planned by {@link CudaLstmForward} and {@link CudaLstmBackward}. Workspaces come from the backend's memory
 * cache, so this object holds nothing between calls. Not thread-safe: use one instance per thread.
 */
final class CudaLstm implements Rnn {
    /** CUDA's limit on a grid's y dimension, which the per-step kernels use for the batch. */
    static final int MAX_BATCH = 65535;

    private final CudaBackend backend;
    private final RnnSpec spec;
    private final DType dtype;
    private final ParameterLayout layout;
    private final RnnCallCheck check;
    private final Kernels kernels;

    CudaLstm(CudaBackend backend, RnnSpec spec, DType dtype) {
        this.backend = backend;
        this.spec = spec;
        this.dtype = dtype;
        this.layout = new ParameterLayout(spec);
        this.check = new RnnCallCheck(spec, dtype, backend);
        this.kernels = new Kernels(dtype);
    }

    @Override
    public RnnSpec spec() {
        return spec;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public CudaBackend backend() {
        return backend;
    }

    ParameterLayout layout() {
        return layout;
    }

    Kernels kernels() {
        return kernels;
    }

    @Override
    public Parameters newParameters() {
        return new Parameters(layout, backend.allocate(dtype, layout.totalSize()));
    }

    @Override
    public RnnOutputs forwardInference(Parameters params, RnnInputs inputs) {
        BatchShape shape = checkForward(params, inputs);
        RnnOutputs out = allocateOutputs(shape);
        try (Scratch scratch = new Scratch(backend, dtype)) {
            new CudaLstmForward(this, params, shape).inference(inputs, out, scratch);
            return out;
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    @Override
    public TrainingForward forwardTraining(Parameters params, RnnInputs inputs) {
        if (spec.dropsBetweenLayers()) {
            throw new UnsupportedOperationException("the cuda backend does not implement dropout between layers in "
                    + "training yet (dropout " + spec.dropout() + "); inference with this stack works");
        }
        BatchShape shape = checkForward(params, inputs);
        RnnOutputs out = allocateOutputs(shape);
        try (Scratch scratch = new Scratch(backend, dtype)) {
            CudaReserve reserve = new CudaLstmForward(this, params, shape).training(inputs, out, scratch);
            return new TrainingForward(out, reserve);
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    @Override
    public InputGradients backwardData(TrainingReserve reserve, OutputGradients gradients) {
        CudaReserve r = ownReserve(reserve);
        if (r.stage() != CudaReserve.Stage.FORWARD_DONE) {
            throw new IllegalStateException("backwardData already ran on this reserve: it may run once per "
                    + "training forward (the reserve now holds gate gradients)");
        }
        check.parameters("params of the training forward", r.params);
        check.outputGradients(gradients, r.shape);
        InputGradients result = allocateInputGradients(r.shape);
        try (Scratch scratch = new Scratch(backend, dtype)) {
            new CudaLstmBackward(this, r).backwardData(gradients, result, scratch);
            r.advance(CudaReserve.Stage.DATA_DONE);
            return result;
        } catch (RuntimeException | Error e) {
            result.close();
            throw e;
        }
    }

    @Override
    public void backwardWeights(TrainingReserve reserve, Parameters gradients) {
        CudaReserve r = ownReserve(reserve);
        if (r.stage() != CudaReserve.Stage.DATA_DONE) {
            throw new IllegalStateException("backwardWeights needs the gate gradients of backwardData: call "
                    + "backwardData on this reserve first");
        }
        check.parameters("gradients", gradients);
        try (Scratch scratch = new Scratch(backend, dtype)) {
            new CudaLstmBackward(this, r).backwardWeights(gradients, scratch);
        }
    }

    /** Nothing to free: workspaces go back to the backend's cache after each call. */
    @Override
    public void close() {
    }

    private BatchShape checkForward(Parameters params, RnnInputs inputs) {
        BatchShape shape = check.forward(params, inputs);
        if ((long) shape.seqLen() * shape.batch() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("T * B = " + (long) shape.seqLen() * shape.batch()
                    + " exceeds cuBLAS's limit of " + Integer.MAX_VALUE + " rows; split the batch");
        }
        if (shape.batch() > MAX_BATCH) {
            throw new IllegalArgumentException("batch " + shape.batch() + " exceeds the cuda backend's limit of "
                    + MAX_BATCH + " sequences per call (a kernel grid dimension); split the batch");
        }
        return shape;
    }

    private CudaReserve ownReserve(TrainingReserve reserve) {
        if (!(reserve instanceof CudaReserve r) || r.owner != this) {
            throw new IllegalArgumentException("reserve " + reserve + " was not produced by this Rnn's "
                    + "forwardTraining");
        }
        r.requireOpen();
        return r;
    }

    private long[] sequenceShape(BatchShape s, long features) {
        return spec.layout() == SequenceLayout.BATCH_FIRST
                ? new long[] {s.batch(), s.seqLen(), features}
                : new long[] {s.seqLen(), s.batch(), features};
    }

    // Results are allocated uninitialised: the planned work writes every element.
    private RnnOutputs allocateOutputs(BatchShape s) {
        Tensor y = null;
        Tensor hn = null;
        try {
            y = backend.allocateUninitialised(dtype, sequenceShape(s, spec.outputSize()));
            hn = backend.allocateUninitialised(dtype, spec.stateLayers(), s.batch(), spec.hiddenSize());
            Tensor cn = backend.allocateUninitialised(dtype, spec.stateLayers(), s.batch(), spec.hiddenSize());
            return new RnnOutputs(y, hn, cn);
        } catch (RuntimeException | Error e) {
            Closeables.closeAll(y, hn);
            throw e;
        }
    }

    private InputGradients allocateInputGradients(BatchShape s) {
        Tensor dx = null;
        Tensor dh0 = null;
        try {
            dx = backend.allocateUninitialised(dtype, sequenceShape(s, spec.inputSize()));
            dh0 = backend.allocateUninitialised(dtype, spec.stateLayers(), s.batch(), spec.hiddenSize());
            Tensor dc0 = backend.allocateUninitialised(dtype, spec.stateLayers(), s.batch(), spec.hiddenSize());
            return new InputGradients(dx, dh0, dc0);
        } catch (RuntimeException | Error e) {
            Closeables.closeAll(dx, dh0);
            throw e;
        }
    }
}
