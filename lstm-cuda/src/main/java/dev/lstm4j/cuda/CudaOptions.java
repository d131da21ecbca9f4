package dev.lstm4j.cuda;

import dev.lstm4j.api.LstmConfig;

import java.util.Locale;

/**
 * How the CUDA backend computes: the GEMM math mode and whether time loops are replayed as CUDA graphs.
 *
 * @param tf32   GEMMs on TF32 tensor cores (10-bit mantissa inputs, FP32 accumulation) instead of exact FP32;
 *               FLOAT64 is unaffected
 * @param graphs capture each recurrent operation once per shape and buffer set and replay it
 */
record CudaOptions(boolean tf32, boolean graphs) {

    static final CudaOptions DEFAULT = new CudaOptions(false, true);

    /** From {@code lstm.cuda.math} ({@code fp32}, {@code tf32}) and {@code lstm.cuda.graphs} ({@code true}, {@code false}). */
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
        return new CudaOptions(tf32, graphs);
    }

    String mathName() {
        return tf32 ? "tf32" : "fp32";
    }
}
