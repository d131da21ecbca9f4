package dev.lstm4j.cuda;

import dev.lstm4j.api.LstmConfig;

import java.util.Locale;

/**
 * How the CUDA backend computes: the GEMM math mode and whether time loops are replayed as CUDA graphs.
 *
 * @param tf32   GEMMs on TF32 tensor cores (10-bit mantissa inputs, FP32 accumulation) instead of exact FP32;
 *               FLOAT64 is unaffected
 * @param graphs capture each recurrent operation once per shape and buffer set and replay it
 * @param cudnn  run recurrent stacks through cuDNN's RNN API instead of lstm4j's own kernels (a reference path)
 */
record CudaOptions(boolean tf32, boolean graphs, boolean cudnn) {

    static final CudaOptions DEFAULT = new CudaOptions(false, true, false);

    CudaOptions(boolean tf32, boolean graphs) {
        this(tf32, graphs, false);
    }

    /**
     * From {@code lstm.cuda.math} ({@code fp32}, {@code tf32}), {@code lstm.cuda.graphs} ({@code true},
     * {@code false}) and {@code lstm.cuda.rnn} ({@code custom}, {@code cudnn}).
     */
    static CudaOptions fromConfig() {
        boolean tf32 = LstmConfig.CUDA_MATH.value().map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "fp32" -> false;
            case "tf32" -> true;
            default -> throw new IllegalArgumentException(LstmConfig.CUDA_MATH.property() + " / "
                    + LstmConfig.CUDA_MATH.environment() + " must be fp32 or tf32, got '" + v + "'");
        }).orElse(false);
        boolean graphs = LstmConfig.CUDA_GRAPHS.value().map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(LstmConfig.CUDA_GRAPHS.property() + " / "
                    + LstmConfig.CUDA_GRAPHS.environment() + " must be true or false, got '" + v + "'");
        }).orElse(true);
        boolean cudnn = LstmConfig.CUDA_RNN.value().map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "custom" -> false;
            case "cudnn" -> true;
            default -> throw new IllegalArgumentException(LstmConfig.CUDA_RNN.property() + " / "
                    + LstmConfig.CUDA_RNN.environment() + " must be custom or cudnn, got '" + v + "'");
        }).orElse(false);
        return new CudaOptions(tf32, graphs, cudnn);
    }

    /** {@code custom} or {@code cudnn}. */
    String rnnName() {
        return cudnn ? "cudnn" : "custom";
    }

    String mathName() {
        return tf32 ? "tf32" : "fp32";
    }
}
