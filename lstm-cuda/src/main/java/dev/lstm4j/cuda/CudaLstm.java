package dev.lstm4j.cuda;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.InputGradients;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.spi.RnnCallCheck.BatchShape;

/**
 * LSTM stack on the CUDA backend's own path: cuBLAS GEMMs and the fused pointwise kernels, planned by
 * {@link CudaLstmForward} and {@link CudaLstmBackward} as command lists that the context replays as CUDA graphs.
 */
final class CudaLstm extends CudaRnn {
    private final Kernels kernels;

    CudaLstm(CudaBackend backend, RnnSpec spec, DType dtype) {
        super(backend, spec, dtype);
        this.kernels = new Kernels(dtype);
    }

    Kernels kernels() {
        return kernels;
    }

    @Override
    void inference(Parameters params, RnnInputs inputs, BatchShape shape, RnnOutputs out, Scratch scratch) {
        new CudaLstmForward(this, params, shape).inference(inputs, out, scratch);
    }

    @Override
    StagedReserve training(Parameters params, RnnInputs inputs, BatchShape shape, RnnOutputs out, Scratch scratch) {
        return new CudaLstmForward(this, params, shape).training(inputs, out, scratch);
    }

    @Override
    void backwardData(StagedReserve reserve, OutputGradients upstream, InputGradients result, Scratch scratch) {
        new CudaLstmBackward(this, (CudaReserve) reserve).backwardData(upstream, result, scratch);
    }

    @Override
    void backwardWeights(StagedReserve reserve, Parameters gradients, Scratch scratch) {
        new CudaLstmBackward(this, (CudaReserve) reserve).backwardWeights(gradients, scratch);
    }

    /** Nothing to free: workspaces go back to the backend's cache after each call. */
    @Override
    public void close() {
    }
}
