package dev.lstm4j.api;

import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of every setting lstm4j reads. Each has a system property ({@code lstm.*}) and an
 * environment variable ({@code LSTM_*}); the system property wins. The README lists the same table.
 */
public enum LstmConfig {
    /** Backend to use by name ({@code cpu}, ...). A named backend that cannot run fails; it never falls back. */
    BACKEND("lstm.backend", "LSTM_BACKEND",
            "backend to use by name; unset = the available backend with the highest priority"),
    /** Threads of the CPU backend's BLAS; unset = OpenBLAS's own choice (OPENBLAS_NUM_THREADS or all cores). */
    CPU_THREADS("lstm.cpu.threads", "LSTM_CPU_THREADS",
            "BLAS threads of the cpu backend; unset = OpenBLAS's default (OPENBLAS_NUM_THREADS, else all cores)"),
    /** {@code false} = exact scalar sigmoid/tanh in the cpu backend's FLOAT32 kernels (slower; for debugging). */
    CPU_FASTMATH("lstm.cpu.fastmath", "LSTM_CPU_FASTMATH",
            "false = exact scalar sigmoid/tanh in the cpu backend's FLOAT32 kernels (slower, for debugging); "
                    + "default true"),
    /** MiB of freed tensor memory the CPU backend keeps for reuse (blocks of 256 KiB and more); 0 = none. */
    CPU_CACHE("lstm.cpu.cache", "LSTM_CPU_CACHE",
            "MiB of freed blocks (256 KiB and larger) the cpu backend keeps for reuse; default 1024, 0 = none"),
    /** Which GPU the cuda backend uses, by CUDA device index (after {@code CUDA_VISIBLE_DEVICES}). */
    CUDA_DEVICE("lstm.cuda.device", "LSTM_CUDA_DEVICE",
            "CUDA device index the cuda backend uses (after CUDA_VISIBLE_DEVICES); default 0"),
    /** GEMM precision of the cuda backend's FLOAT32 stacks: {@code fp32} (exact, default) or {@code tf32} (tensor cores). */
    CUDA_MATH("lstm.cuda.math", "LSTM_CUDA_MATH",
            "FLOAT32 GEMM precision of the cuda backend: fp32 (default, exact) or tf32 (tensor cores, ~1e-3 relative)"),
    /** {@code false} = launch every step's kernels instead of replaying captured CUDA graphs. */
    CUDA_GRAPHS("lstm.cuda.graphs", "LSTM_CUDA_GRAPHS",
            "false = launch each step instead of replaying captured CUDA graphs (for debugging); default true"),
    /** Which implementation the cuda backend runs stacks with: {@code custom} (lstm4j's kernels) or {@code cudnn}. */
    CUDA_RNN("lstm.cuda.rnn", "LSTM_CUDA_RNN",
            "recurrent path of the cuda backend: custom (default, lstm4j's kernels and CUDA graphs) or cudnn"),
    /** Where {@code lstm bench} finds its peers (PyTorch, Deeplearning4j): one sub-folder per peer. */
    BENCH_PEERS("lstm.bench.peers", "LSTM_BENCH_PEERS",
            "folder holding lstm bench's peers, one sub-folder each; default: peers/ beside lstm.jar");

    private final String property;
    private final String environment;
    private final String meaning;

    LstmConfig(String property, String environment, String meaning) {
        this.property = property;
        this.environment = environment;
        this.meaning = meaning;
    }

    public String property() {
        return property;
    }

    public String environment() {
        return environment;
    }

    public String meaning() {
        return meaning;
    }

    /** The value from the system property, else the environment variable; blank counts as unset. */
    public Optional<String> value() {
        return value(System.getProperties()::getProperty, System.getenv());
    }

    /** As {@link #value()}, reading from the given sources (for tests). */
    public Optional<String> value(java.util.function.Function<String, String> properties, Map<String, String> env) {
        String v = properties.apply(property);
        if (v == null || v.isBlank()) {
            v = env.get(environment);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** An int setting, or an {@link IllegalArgumentException} naming the setting and the bad value. */
    public Optional<Integer> intValue() {
        return value().map(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + " / " + environment + " must be an integer, got '"
                        + v + "'", e);
            }
        });
    }
}
