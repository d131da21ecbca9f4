package dev.lstm4j.bench;

import dev.lstm4j.peer.BenchConfig;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.TimingPolicy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@link BenchRunner} measures.
 *
 * @param backend  lstm4j backend by name; empty = the best available
 * @param threads  thread counts, each measured in turn (BLAS threads on the CPU)
 * @param peers    peer names to include; empty = none
 * @param workDir  where inputs, outputs and peer logs go; empty = a temporary folder removed at the end
 */
public record BenchOptions(Optional<String> backend, List<BenchConfig> configs, List<BenchMode> modes,
                           List<Integer> threads, TimingPolicy timing, List<String> peers, Optional<Path> workDir) {

    /** Square size of the GEMM that measures the ceiling. */
    public static final int CEILING_SIZE = 2048;

    public BenchOptions {
        configs = List.copyOf(configs);
        modes = List.copyOf(modes);
        threads = List.copyOf(threads);
        peers = List.copyOf(peers);
        if (configs.isEmpty() || modes.isEmpty() || threads.isEmpty()) {
            throw new IllegalArgumentException("need at least one configuration, mode and thread count");
        }
        for (int t : threads) {
            if (t < 1) {
                throw new IllegalArgumentException("thread counts must be >= 1, got " + t);
            }
        }
    }
}
