package dev.lstm4j.cuda;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.SequenceLayout;
import dev.lstm4j.api.spi.RnnCallCheck.BatchShape;
import org.bytedeco.cuda.cudnn.cudnnRNNDataStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * cuDNN's descriptors of one call's batch: x and y as padded RNN data (sequence- or batch-major, as the stack's
 * layout says, with each sequence's length, padding filled with zeros) and the {@code [L*D, B, H]} state tensors.
 */
final class CudnnBatch implements AutoCloseable {
    final cudnnRNNDataStruct x = new cudnnRNNDataStruct();
    final cudnnRNNDataStruct y = new cudnnRNNDataStruct();
    final cudnnTensorStruct state = new cudnnTensorStruct();
    private boolean xMade;
    private boolean yMade;
    private boolean stateMade;

    CudnnBatch(RnnSpec spec, DType dtype, BatchShape shape) {
        try {
            int dataType = CudnnStack.dataType(dtype);
            int layout = spec.layout() == SequenceLayout.BATCH_FIRST
                    ? cudnn.CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED : cudnn.CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_UNPACKED;
            try (IntPointer lengths = new IntPointer(shape.lengths());
                 Pointer zero = dtype == DType.FLOAT32 ? new FloatPointer(0f) : new DoublePointer(0.0)) {
                CudaCheck.cudnn(cudnn.cudnnCreateRNNDataDescriptor(x), "cudnnCreateRNNDataDescriptor");
                xMade = true;
                CudaCheck.cudnn(cudnn.cudnnSetRNNDataDescriptor(x, dataType, layout, shape.seqLen(), shape.batch(),
                        spec.inputSize(), lengths, zero), "cudnnSetRNNDataDescriptor(x)");
                CudaCheck.cudnn(cudnn.cudnnCreateRNNDataDescriptor(y), "cudnnCreateRNNDataDescriptor");
                yMade = true;
                CudaCheck.cudnn(cudnn.cudnnSetRNNDataDescriptor(y, dataType, layout, shape.seqLen(), shape.batch(),
                        spec.outputSize(), lengths, zero), "cudnnSetRNNDataDescriptor(y)");
            }
            CudaCheck.cudnn(cudnn.cudnnCreateTensorDescriptor(state), "cudnnCreateTensorDescriptor");
            stateMade = true;
            int layers = spec.stateLayers();
            try (IntPointer dims = new IntPointer(layers, shape.batch(), spec.hiddenSize());
                 IntPointer strides = new IntPointer(shape.batch() * spec.hiddenSize(), spec.hiddenSize(), 1)) {
                CudaCheck.cudnn(cudnn.cudnnSetTensorNdDescriptor(state, dataType, 3, dims, strides),
                        "cudnnSetTensorNdDescriptor(h, c)");
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (xMade) {
            cudnn.cudnnDestroyRNNDataDescriptor(x);
            xMade = false;
        }
        if (yMade) {
            cudnn.cudnnDestroyRNNDataDescriptor(y);
            yMade = false;
        }
        if (stateMade) {
            cudnn.cudnnDestroyTensorDescriptor(state);
            stateMade = false;
        }
    }
}
