package dev.lstm4j.cpu;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.CellType;
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
 * LSTM stack on the CPU: the public operations, argument checks and ownership. The arithmetic lives in
 * {@link LstmForward} and {@link LstmBackward}. Not thread-safe: use one instance per thread.
 */
final class CpuLstm implements Rnn {
    private final CpuBackend backend;
    private final RnnSpec spec;
    private final CpuPrecision precision;
    private final ParameterLayout layout;
    private final RnnCallCheck check;
    private final WorkspacePool pool;   // workspaces and reserve memory reused between calls
    private LstmCell cell;              // heap scratch of the last batch size (LSTM)
    private GruCell gru;                // heap scratch of the last batch size (GRU)

    CpuLstm(CpuBackend backend, RnnSpec spec, CpuPrecision precision) {
        this.backend = backend;
        this.spec = spec;
        this.precision = precision;
        this.layout = new ParameterLayout(spec);
        this.check = new RnnCallCheck(spec, precision.dtype(), backend);
        this.pool = new WorkspacePool(backend, precision.dtype());
    }

    @Override
    public RnnSpec spec() {
        return spec;
    }

    @Override
    public DType dtype() {
        return precision.dtype();
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public Parameters newParameters() {
        return new Parameters(layout, backend.allocate(dtype(), layout.totalSize()));
    }

    @Override
    public RnnOutputs forwardInference(Parameters params, RnnInputs inputs) {
        BatchShape shape = checkForward(params, inputs);
        RnnOutputs out = allocateOutputs(shape);
        try (Allocations scratch = new Allocations(pool)) {
            new LstmForward(spec, layout, precision, cell(shape.batch()), gru(shape.batch()), params, shape).runInference(inputs, out, scratch);
            return out;
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    @Override
    public TrainingForward forwardTraining(Parameters params, RnnInputs inputs) {
        BatchShape shape = checkForward(params, inputs);
        check.training(inputs);
        RnnOutputs out = allocateOutputs(shape);
        try (Allocations scratch = new Allocations(pool)) {
            CpuReserve reserve = new LstmForward(spec, layout, precision, cell(shape.batch()), gru(shape.batch()), params, shape)
                    .runTraining(this, inputs, out, scratch);
            return new TrainingForward(out, reserve);
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    @Override
    public InputGradients backwardData(TrainingReserve reserve, OutputGradients gradients) {
        CpuReserve r = ownReserve(reserve);
        if (r.stage() != CpuReserve.Stage.FORWARD_DONE) {
            throw new IllegalStateException("backwardData already ran on this reserve: it may run once per "
                    + "training forward (the reserve now holds gate gradients)");
        }
        check.parameters("params of the training forward", r.params);
        check.outputGradients(gradients, r.shape);
        InputGradients result = allocateInputGradients(r.shape);
        try (Allocations scratch = new Allocations(pool)) {
            new LstmBackward(spec, layout, precision, cell(r.shape.batch()), gru(r.shape.batch()), r).backwardData(gradients, result, scratch);
            r.advance(CpuReserve.Stage.DATA_DONE);
            return result;
        } catch (RuntimeException | Error e) {
            result.close();
            throw e;
        }
    }

    @Override
    public void backwardWeights(TrainingReserve reserve, Parameters gradients) {
        CpuReserve r = ownReserve(reserve);
        if (r.stage() != CpuReserve.Stage.DATA_DONE) {
            throw new IllegalStateException("backwardWeights needs the gate gradients of backwardData: call "
                    + "backwardData on this reserve first");
        }
        check.parameters("gradients", gradients);
        try (Allocations scratch = new Allocations(pool)) {
            new LstmBackward(spec, layout, precision, cell(r.shape.batch()), gru(r.shape.batch()), r).backwardWeights(gradients, scratch);
        }
    }

    /** Frees the workspaces kept between calls; reserves still open free their memory when closed. */
    @Override
    public void close() {
        pool.close();
    }

    WorkspacePool pool() {
        return pool;
    }

    /** The GRU's fused cell for batch size B, or null for an LSTM stack. */
    private GruCell gru(int batch) {
        if (spec.cell() != CellType.GRU) {
            return null;
        }
        if (gru == null || gru.batch != batch) {
            gru = precision.newGruCell(batch, spec.hiddenSize());
        }
        return gru;
    }

    /** The fused cell for batch size B, or null for a GRU stack; its heap scratch is kept while B stays the same. */
    private LstmCell cell(int batch) {
        if (spec.cell() == CellType.GRU) {
            return null;
        }
        if (cell == null || cell.batch != batch) {
            cell = precision.newCell(batch, spec.hiddenSize(), spec.cellClip(), spec.cell() == CellType.PEEPHOLE_LSTM);
        }
        return cell;
    }

    private BatchShape checkForward(Parameters params, RnnInputs inputs) {
        BatchShape shape = check.forward(params, inputs);
        if ((long) shape.seqLen() * shape.batch() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("T * B = " + (long) shape.seqLen() * shape.batch()
                    + " exceeds the BLAS limit of " + Integer.MAX_VALUE + " rows; split the batch");
        }
        if ((long) shape.batch() * spec.gateRows() > CpuBackend.MAX_ARRAY) {
            throw new IllegalArgumentException("B * 4H = " + (long) shape.batch() * spec.gateRows()
                    + " exceeds " + CpuBackend.MAX_ARRAY + " (one step's gates are staged in a Java array); "
                    + "split the batch");
        }
        return shape;
    }

    private CpuReserve ownReserve(TrainingReserve reserve) {
        if (!(reserve instanceof CpuReserve r) || r.owner != this) {
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

    // Results are allocated uninitialised: the kernels write every element (see LstmForward/LstmBackward).
    private RnnOutputs allocateOutputs(BatchShape s) {
        Tensor y = null;
        Tensor hn = null;
        try {
            y = backend.allocateUninitialised(dtype(), sequenceShape(s, spec.outputSize()));
            hn = backend.allocateUninitialised(dtype(), spec.stateLayers(), s.batch(), spec.stateSize());
            Tensor cn = spec.cell().hasCellState()
                    ? backend.allocateUninitialised(dtype(), spec.stateLayers(), s.batch(), spec.hiddenSize()) : null;
            return new RnnOutputs(y, hn, cn);
        } catch (RuntimeException | Error e) {
            dev.lstm4j.api.Closeables.closeAll(y, hn);
            throw e;
        }
    }

    private InputGradients allocateInputGradients(BatchShape s) {
        Tensor dx = null;
        Tensor dh0 = null;
        try {
            dx = backend.allocateUninitialised(dtype(), sequenceShape(s, spec.inputSize()));
            dh0 = backend.allocateUninitialised(dtype(), spec.stateLayers(), s.batch(), spec.stateSize());
            Tensor dc0 = spec.cell().hasCellState()
                    ? backend.allocateUninitialised(dtype(), spec.stateLayers(), s.batch(), spec.hiddenSize()) : null;
            return new InputGradients(dx, dh0, dc0);
        } catch (RuntimeException | Error e) {
            dev.lstm4j.api.Closeables.closeAll(dx, dh0);
            throw e;
        }
    }
}
