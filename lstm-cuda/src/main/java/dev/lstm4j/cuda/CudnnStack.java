package dev.lstm4j.cuda;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.cudnn.cudnnDropoutStruct;
import org.bytedeco.cuda.cudnn.cudnnRNNStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.util.ArrayList;
import java.util.List;

/**
 * cuDNN's description of one stack (LSTM, PyTorch's double bias, linear input, padded I/O, cell clip as min/max
 * clipping) and where each PyTorch parameter block sits in cuDNN's weight space. Exact FP32 uses
 * {@code CUDNN_FMA_MATH}: cuDNN's default math would allow TF32 tensor cores on Ampere and later.
 */
final class CudnnStack implements AutoCloseable {
    final cudnnRNNStruct rnn = new cudnnRNNStruct();
    final long weightSpaceBytes;
    private final cudnnDropoutStruct dropout = new cudnnDropoutStruct();
    private final DeviceBuffer dropoutStates;
    private final List<Copy> regions;   // PyTorch packed offset <-> weight-space offset, in bytes

    /** One contiguous block: {@code bytes} at {@code packedByte} in the packed parameters and {@code spaceByte} in the weight space. */
    record Copy(long packedByte, long spaceByte, long bytes) {
    }

    CudnnStack(cudnnContext handle, CudaBackend backend, RnnSpec spec, DType dtype, boolean tf32) {
        boolean rnnMade = false;
        boolean dropoutMade = false;
        DeviceBuffer states = null;
        try {
            CudaCheck.cudnn(cudnn.cudnnCreateRNNDescriptor(rnn), "cudnnCreateRNNDescriptor");
            rnnMade = true;
            CudaCheck.cudnn(cudnn.cudnnCreateDropoutDescriptor(dropout), "cudnnCreateDropoutDescriptor");
            dropoutMade = true;
            long stateBytes;
            try (SizeTPointer size = new SizeTPointer(1)) {
                CudaCheck.cudnn(cudnn.cudnnDropoutGetStatesSize(handle, size), "cudnnDropoutGetStatesSize");
                stateBytes = size.get();
            }
            states = backend.buffer(stateBytes, "cuDNN dropout states");
            CudaCheck.cudnn(cudnn.cudnnSetDropoutDescriptor(dropout, handle, 0f, DevicePointers.at(states.address()),
                    stateBytes, 0), "cudnnSetDropoutDescriptor");
            int dataType = dataType(dtype);
            int math = dtype == DType.FLOAT32 && !tf32 ? cudnn.CUDNN_FMA_MATH : cudnn.CUDNN_DEFAULT_MATH;
            CudaCheck.cudnn(cudnn.cudnnSetRNNDescriptor_v8(rnn, cudnn.CUDNN_RNN_ALGO_STANDARD, cudnn.CUDNN_LSTM,
                    spec.bias() ? cudnn.CUDNN_RNN_DOUBLE_BIAS : cudnn.CUDNN_RNN_NO_BIAS,
                    spec.bidirectional() ? cudnn.CUDNN_BIDIRECTIONAL : cudnn.CUDNN_UNIDIRECTIONAL,
                    cudnn.CUDNN_LINEAR_INPUT, dataType, dataType, math, spec.inputSize(), spec.hiddenSize(),
                    spec.hiddenSize(), spec.numLayers(), dropout, cudnn.CUDNN_RNN_PADDED_IO_ENABLED),
                    "cudnnSetRNNDescriptor_v8");
            if (spec.clipsCell()) {
                CudaCheck.cudnn(cudnn.cudnnRNNSetClip_v8(rnn, cudnn.CUDNN_RNN_CLIP_MINMAX, cudnn.CUDNN_NOT_PROPAGATE_NAN,
                        -spec.cellClip(), spec.cellClip()), "cudnnRNNSetClip_v8");
            }
            try (SizeTPointer size = new SizeTPointer(1)) {
                CudaCheck.cudnn(cudnn.cudnnGetRNNWeightSpaceSize(handle, rnn, size), "cudnnGetRNNWeightSpaceSize");
                weightSpaceBytes = size.get();
            }
            regions = locate(handle, backend, spec, dtype);
            dropoutStates = states;
        } catch (RuntimeException | Error e) {
            if (states != null) {
                states.close();
            }
            if (dropoutMade) {
                cudnn.cudnnDestroyDropoutDescriptor(dropout);
            }
            if (rnnMade) {
                cudnn.cudnnDestroyRNNDescriptor(rnn);
            }
            throw e;
        }
    }

    static int dataType(DType dtype) {
        return dtype == DType.FLOAT32 ? cudnn.CUDNN_DATA_FLOAT : cudnn.CUDNN_DATA_DOUBLE;
    }

    /** Asks cuDNN where each gate's matrix and bias live, as offsets into a weight space of this stack. */
    private List<Copy> locate(cudnnContext handle, CudaBackend backend, RnnSpec spec, DType dtype) {
        List<Copy> found = new ArrayList<>();
        int es = dtype.byteSize();
        try (DeviceBuffer space = backend.buffer(weightSpaceBytes, "cuDNN weight space (layout query)");
             PointerPointer<Pointer> matrix = new PointerPointer<>(1);
             PointerPointer<Pointer> bias = new PointerPointer<>(1)) {
            cudnnTensorStruct mDesc = new cudnnTensorStruct();
            cudnnTensorStruct bDesc = new cudnnTensorStruct();
            CudaCheck.cudnn(cudnn.cudnnCreateTensorDescriptor(mDesc), "cudnnCreateTensorDescriptor");
            try {
                CudaCheck.cudnn(cudnn.cudnnCreateTensorDescriptor(bDesc), "cudnnCreateTensorDescriptor");
                try {
                    for (CudnnWeightMap.Region r : CudnnWeightMap.of(spec)) {
                        CudaCheck.cudnn(cudnn.cudnnGetRNNWeightParams(handle, rnn, r.pseudoLayer(), weightSpaceBytes,
                                DevicePointers.at(space.address()), r.linLayerId(), mDesc, matrix, bDesc, bias),
                                "cudnnGetRNNWeightParams(layer " + r.pseudoLayer() + ", id " + r.linLayerId() + ")");
                        Pointer at = (r.bias() ? bias : matrix).get(0);
                        if (at == null || at.isNull()) {
                            throw new IllegalStateException("cuDNN reports no " + r + " in its weight space");
                        }
                        found.add(new Copy(r.packedOffset() * es, at.address() - space.address(), r.size() * es));
                    }
                } finally {
                    cudnn.cudnnDestroyTensorDescriptor(bDesc);
                }
            } finally {
                cudnn.cudnnDestroyTensorDescriptor(mDesc);
            }
        }
        return found;
    }

    /** Commands copying packed PyTorch-layout parameters at {@code packed} into a weight space at {@code space}. */
    List<Command> pack(long packed, long space) {
        return regions.stream().map(r -> (Command) new Command.Copy(space + r.spaceByte(), packed + r.packedByte(),
                r.bytes())).toList();
    }

    /** The reverse of {@link #pack}. */
    List<Command> unpack(long space, long packed) {
        return regions.stream().map(r -> (Command) new Command.Copy(packed + r.packedByte(), space + r.spaceByte(),
                r.bytes())).toList();
    }

    @Override
    public void close() {
        cudnn.cudnnDestroyRNNDescriptor(rnn);
        cudnn.cudnnDestroyDropoutDescriptor(dropout);
        dropoutStates.close();
    }
}
