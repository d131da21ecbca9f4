package dev.lstm4j.bench;

import dev.lstm4j.peer.BenchConfig;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.Samples;

/**
 * One measured case.
 *
 * @param engine    {@value #LSTM4J} or a peer's name ({@code pytorch}, {@code dl4j})
 * @param backend   where it ran: lstm4j's backend name, or {@code cpu} for the CPU peers
 * @param samples   the timed iterations; null when the case failed
 * @param error     why the case failed; null when it ran
 * @param agreement for peers, how close their outputs came to lstm4j's; null for lstm4j and failed cases
 */
public record BenchResult(String engine, String backend, BenchConfig config, BenchMode mode, int threads,
                          Samples samples, String error, Agreement agreement) {

    public static final String LSTM4J = "lstm4j";

    public BenchResult {
        if ((samples == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of samples and error must be set");
        }
    }

    public boolean ok() {
        return samples != null;
    }

    public boolean isLstm4j() {
        return LSTM4J.equals(engine);
    }

    /** E.g. {@code lstm4j cpu}, {@code pytorch}. */
    public String label() {
        return isLstm4j() ? LSTM4J + " " + backend : engine;
    }

    public double medianMillis() {
        return samples.median();
    }

    /** GEMM FLOPs of one iteration ({@link dev.lstm4j.peer.StackShape#flops}). */
    public double flops() {
        return config.shape().flops(mode);
    }

    public double gflops() {
        return flops() / (medianMillis() * 1e6);
    }
}
