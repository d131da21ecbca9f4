package dev.lstm4j.cuda;

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
 * The public operations of a recurrent stack on the CUDA backend, with their argument checks, result
 * allocation, reserve stages and cleanup on failure; the device work is the subclass's: {@link CudaLstm} (the
 * custom kernels) or {@link CudnnLstm} (cuDNN). Workspaces come from the backend's memory cache per call.
 * Not thread-safe: use one instance per thread.
 */
abstract class CudaRnn implements Rnn {
    /** CUDA's limit on a grid's y dimension, which the per-step kernels use for the batch. */
    static final int MAX_BATCH = 65535;

    final CudaBackend backend;
    final RnnSpec spec;
    final DType dtype;
    final ParameterLayout layout;
    private final RnnCallCheck check;

    CudaRnn(CudaBackend backend, RnnSpec spec, DType dtype) {
        this.backend = backend;
        this.spec = spec;
        this.dtype = dtype;
        this.layout = new ParameterLayout(spec);
        this.check = new RnnCallCheck(spec, dtype, backend);
    }

    /** Queues the inference forward pass; {@code out} is allocated and must be written completely. */
    abstract void inference(Parameters params, RnnInputs inputs, BatchShape shape, RnnOutputs out, Scratch scratch);

    /** Queues the training forward pass and returns what its backward needs. */
    abstract StagedReserve training(Parameters params, RnnInputs inputs, BatchShape shape, RnnOutputs out,
                                    Scratch scratch);

    abstract void backwardData(StagedReserve reserve, OutputGradients upstream, InputGradients result, Scratch scratch);

    abstract void backwardWeights(StagedReserve reserve, Parameters gradients, Scratch scratch);

    @Override
    public final RnnSpec spec() {
        return spec;
    }

    @Override
    public final DType dtype() {
        return dtype;
    }

    @Override
    public final CudaBackend backend() {
        return backend;
    }

    final ParameterLayout layout() {
        return layout;
    }

    @Override
    public final Parameters newParameters() {
        return new Parameters(layout, backend.allocate(dtype, layout.totalSize()));
    }

    @Override
    public final RnnOutputs forwardInference(Parameters params, RnnInputs inputs) {
        BatchShape shape = checkForward(params, inputs);
        RnnOutputs out = allocateOutputs(shape);
        try (Scratch scratch = new Scratch(backend, dtype)) {
            inference(params, inputs, shape, out, scratch);
            return out;
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    @Override
    public final TrainingForward forwardTraining(Parameters params, RnnInputs inputs) {
        BatchShape shape = checkForward(params, inputs);
        check.training(inputs);
        RnnOutputs out = allocateOutputs(shape);
        try (Scratch scratch = new Scratch(backend, dtype)) {
            return new TrainingForward(out, training(params, inputs, shape, out, scratch));
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    @Override
    public final InputGradients backwardData(TrainingReserve reserve, OutputGradients gradients) {
        StagedReserve r = ownReserve(reserve);
        if (r.stage() != StagedReserve.Stage.FORWARD_DONE) {
            throw new IllegalStateException("backwardData already ran on this reserve: it may run once per "
                    + "training forward (the reserve now holds gate gradients)");
        }
        check.parameters("params of the training forward", r.params);
        check.outputGradients(gradients, r.shape);
        InputGradients result = allocateInputGradients(r.shape);
        try (Scratch scratch = new Scratch(backend, dtype)) {
            backwardData(r, gradients, result, scratch);
            r.advance(StagedReserve.Stage.DATA_DONE);
            return result;
        } catch (RuntimeException | Error e) {
            result.close();
            throw e;
        }
    }

    @Override
    public final void backwardWeights(TrainingReserve reserve, Parameters gradients) {
        StagedReserve r = ownReserve(reserve);
        if (r.stage() != StagedReserve.Stage.DATA_DONE) {
            throw new IllegalStateException("backwardWeights needs the gate gradients of backwardData: call "
                    + "backwardData on this reserve first");
        }
        check.parameters("gradients", gradients);
        try (Scratch scratch = new Scratch(backend, dtype)) {
            backwardWeights(r, gradients, scratch);
        }
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

    private StagedReserve ownReserve(TrainingReserve reserve) {
        if (!(reserve instanceof StagedReserve r) || r.owner != this) {
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
            hn = backend.allocateUninitialised(dtype, spec.stateLayers(), s.batch(), spec.stateSize());
            Tensor cn = spec.cell().hasCellState()
                    ? backend.allocateUninitialised(dtype, spec.stateLayers(), s.batch(), spec.hiddenSize()) : null;
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
            dh0 = backend.allocateUninitialised(dtype, spec.stateLayers(), s.batch(), spec.stateSize());
            Tensor dc0 = spec.cell().hasCellState()
                    ? backend.allocateUninitialised(dtype, spec.stateLayers(), s.batch(), spec.hiddenSize()) : null;
            return new InputGradients(dx, dh0, dc0);
        } catch (RuntimeException | Error e) {
            Closeables.closeAll(dx, dh0);
            throw e;
        }
    }
}
