package dev.lstm4j.cuda;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.InputGradients;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.spi.RnnCallCheck.BatchShape;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.util.List;

/**
 * LSTM stack through cuDNN's RNN API ({@code cudnnRNNForward}, {@code cudnnRNNBackwardData_v8},
 * {@code cudnnRNNBackwardWeights_v8}), selected with {@code lstm.cuda.rnn=cudnn}: the reference the custom path
 * is checked and timed against. Parameters stay in PyTorch's packed layout; each call copies them into cuDNN's
 * weight space, and weight gradients are accumulated there ({@code CUDNN_WGRAD_MODE_ADD}) and copied back.
 */
final class CudnnLstm extends CudaRnn {
    private final CudaContext context;
    private CudnnStack stack;   // descriptors, built on first use

    CudnnLstm(CudaBackend backend, RnnSpec spec, DType dtype, CudaContext context) {
        super(backend, spec, dtype);
        this.context = context;
    }

    private CudnnStack stack(cudnnContext handle) {
        if (stack == null) {
            stack = new CudnnStack(handle, backend, spec, dtype, context.options().tf32());
        }
        return stack;
    }

    @Override
    void inference(Parameters params, RnnInputs inputs, BatchShape shape, RnnOutputs out, Scratch scratch) {
        long lengths = scratch.upload(shape.lengths(), "sequence lengths [B]");
        context.withCudnn(handle -> {
            CudnnStack s = stack(handle);
            long space = scratch.allocateBytes(s.weightSpaceBytes, "cuDNN weight space");
            backend.run(s.pack(address(params.packed()), space), false);
            try (CudnnBatch batch = new CudnnBatch(spec, dtype, shape)) {
                long[] sizes = tempSizes(handle, s, batch, cudnn.CUDNN_FWD_MODE_INFERENCE);
                long work = scratch.allocateBytes(sizes[0], "cuDNN workspace");
                CudaCheck.cudnn(cudnn.cudnnRNNForward(handle, s.rnn, cudnn.CUDNN_FWD_MODE_INFERENCE, ints(lengths),
                        batch.x, at(address(inputs.x())), batch.y, at(address(out.y())), batch.state,
                        at(address(inputs.h0())), at(address(out.hn())), batch.state, at(address(inputs.c0())),
                        at(address(out.cn())), s.weightSpaceBytes, at(space), sizes[0], at(work), 0, null),
                        "cudnnRNNForward(inference)");
            }
        });
    }

    @Override
    StagedReserve training(Parameters params, RnnInputs inputs, BatchShape shape, RnnOutputs out, Scratch scratch) {
        if (spec.dropsBetweenLayers()) {
            // cuDNN draws its own mask from its own generator: it could not reproduce lstm4j's DropoutMask.
            throw new UnsupportedOperationException("the cuDNN path does not train stacks with dropout between "
                    + "layers (its mask is not lstm4j's DropoutMask); the custom path (lstm.cuda.rnn=custom) does");
        }
        Scratch kept = new Scratch(backend, dtype);
        try {
            long lengths = kept.upload(shape.lengths(), "reserve: sequence lengths [B]");
            long h0 = copy(inputs.h0(), kept, "reserve: copy of h0");
            long c0 = copy(inputs.c0(), kept, "reserve: copy of c0");
            long y = kept.allocate(out.y().size(), "reserve: copy of y");
            long[] spaces = new long[3];   // weight space, reserve space, its bytes
            context.withCudnn(handle -> {
                CudnnStack s = stack(handle);
                spaces[0] = kept.allocateBytes(s.weightSpaceBytes, "reserve: cuDNN weight space");
                backend.run(s.pack(address(params.packed()), spaces[0]), false);
                try (CudnnBatch batch = new CudnnBatch(spec, dtype, shape)) {
                    long[] sizes = tempSizes(handle, s, batch, cudnn.CUDNN_FWD_MODE_TRAINING);
                    long work = scratch.allocateBytes(sizes[0], "cuDNN workspace");
                    spaces[1] = kept.allocateBytes(sizes[1], "reserve: cuDNN reserve space");
                    spaces[2] = sizes[1];
                    CudaCheck.cudnn(cudnn.cudnnRNNForward(handle, s.rnn, cudnn.CUDNN_FWD_MODE_TRAINING, ints(lengths),
                            batch.x, at(address(inputs.x())), batch.y, at(y), batch.state, at(h0),
                            at(address(out.hn())), batch.state, at(c0), at(address(out.cn())), s.weightSpaceBytes,
                            at(spaces[0]), sizes[0], at(work), sizes[1], at(spaces[1])), "cudnnRNNForward(training)");
                }
            });
            backend.run(List.of(new Command.Copy(address(out.y()), y, out.y().size() * dtype.byteSize())), false);
            return new CudnnReserve(this, params, shape, inputs.x(), spaces[0], spaces[1], spaces[2], y, h0, c0,
                    lengths, kept.release());
        } catch (RuntimeException | Error e) {
            kept.close();
            throw e;
        }
    }

    @Override
    void backwardData(StagedReserve reserve, OutputGradients upstream, InputGradients result, Scratch scratch) {
        CudnnReserve r = (CudnnReserve) reserve;
        long dy = address(upstream.dy());
        if (dy == 0) {   // cuDNN needs dy; no upstream gradient of y means zeros
            long bytes = (long) r.shape.seqLen() * r.shape.batch() * spec.outputSize() * dtype.byteSize();
            dy = scratch.allocateBytes(bytes, "zero dy");
            backend.run(List.of(new Command.Zero(dy, bytes)), false);
        }
        long dyAddress = dy;
        context.withCudnn(handle -> {
            CudnnStack s = stack(handle);
            try (CudnnBatch batch = new CudnnBatch(spec, dtype, r.shape)) {
                long[] sizes = tempSizes(handle, s, batch, cudnn.CUDNN_FWD_MODE_TRAINING);
                long work = scratch.allocateBytes(sizes[0], "cuDNN workspace");
                CudaCheck.cudnn(cudnn.cudnnRNNBackwardData_v8(handle, s.rnn, ints(r.lengths), batch.y, at(r.y),
                        at(dyAddress), batch.x, at(address(result.dx())), batch.state, at(r.h0),
                        at(address(upstream.dhn())), at(address(result.dh0())), batch.state, at(r.c0),
                        at(address(upstream.dcn())), at(address(result.dc0())), s.weightSpaceBytes, at(r.weightSpace),
                        sizes[0], at(work), r.reserveBytes, at(r.reserveSpace)), "cudnnRNNBackwardData_v8");
            }
        });
    }

    @Override
    void backwardWeights(StagedReserve reserve, Parameters gradients, Scratch scratch) {
        CudnnReserve r = (CudnnReserve) reserve;
        long x = StagedReserve.forwardInput(r.x);
        long grads = address(gradients.packed());
        context.withCudnn(handle -> {
            CudnnStack s = stack(handle);
            long space = scratch.allocateBytes(s.weightSpaceBytes, "cuDNN weight-gradient space");
            backend.run(s.pack(grads, space), false);   // cuDNN adds into what is there
            try (CudnnBatch batch = new CudnnBatch(spec, dtype, r.shape)) {
                long[] sizes = tempSizes(handle, s, batch, cudnn.CUDNN_FWD_MODE_TRAINING);
                long work = scratch.allocateBytes(sizes[0], "cuDNN workspace");
                CudaCheck.cudnn(cudnn.cudnnRNNBackwardWeights_v8(handle, s.rnn, cudnn.CUDNN_WGRAD_MODE_ADD,
                        ints(r.lengths), batch.x, at(x), batch.state, at(r.h0), batch.y, at(r.y), s.weightSpaceBytes,
                        at(space), sizes[0], at(work), r.reserveBytes, at(r.reserveSpace)),
                        "cudnnRNNBackwardWeights_v8");
            }
            backend.run(s.unpack(space, grads), false);
        });
    }

    /** {workspace bytes, reserve bytes} for a forward mode. */
    private static long[] tempSizes(cudnnContext handle, CudnnStack s, CudnnBatch batch, int mode) {
        try (SizeTPointer work = new SizeTPointer(1); SizeTPointer reserve = new SizeTPointer(1)) {
            CudaCheck.cudnn(cudnn.cudnnGetRNNTempSpaceSizes(handle, s.rnn, mode, batch.x, work, reserve),
                    "cudnnGetRNNTempSpaceSizes");
            return new long[] {work.get(), reserve.get()};
        }
    }

    private long copy(Tensor state, Scratch kept, String what) {
        if (state == null) {
            return 0;
        }
        long copy = kept.allocate(state.size(), what);
        backend.run(List.of(new Command.Copy(copy, address(state), state.size() * dtype.byteSize())), false);
        return copy;
    }

    private static long address(Tensor t) {
        return t == null ? 0 : CudaBackend.tensor(t).address();
    }

    private static Pointer at(long address) {
        return address == 0 ? null : DevicePointers.at(address);
    }

    private static IntPointer ints(long address) {
        return new IntPointer(DevicePointers.at(address));
    }

    @Override
    public void close() {
        if (stack != null) {
            context.withCudnn(handle -> stack.close());
            stack = null;
        }
    }
}
