package dev.lstm4j.bench;

import dev.lstm4j.peer.Samples;

/**
 * The hardware ceiling of one run: the backend's own GEMM on square {@code size}-matrices in float32
 * ({@code sgemm} on the CPU), timed with the same loop as the LSTMs. No LSTM can beat its backend's GEMM rate
 * by much, since GEMMs are nearly all of its FLOPs.
 */
public record CeilingResult(String backend, int threads, String operation, int size, Samples samples) {

    /** 2 * size^3. */
    public double flops() {
        return 2.0 * size * size * size;
    }

    public double medianMillis() {
        return samples.median();
    }

    public double gflops() {
        return flops() / (medianMillis() * 1e6);
    }
}
