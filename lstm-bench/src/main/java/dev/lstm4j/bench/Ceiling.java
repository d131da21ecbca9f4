package dev.lstm4j.bench;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.peer.Samples;
import dev.lstm4j.peer.Timing;
import dev.lstm4j.peer.TimingPolicy;

import java.util.SplittableRandom;

/** Measures a backend's float32 GEMM on square matrices: the ceiling its LSTM is compared with. */
public final class Ceiling {

    private Ceiling() {
    }

    public static CeilingResult measure(Backend backend, int threads, int size, TimingPolicy timing) throws Exception {
        // Random operands: zeros or denormals would let the GEMM run at a speed no real weights see.
        try (Tensor a = backend.tensor(random(size, 1), size, size);
             Tensor b = backend.tensor(random(size, 2), size, size);
             Tensor c = backend.allocate(DType.FLOAT32, size, size)) {
            Samples samples = Timing.measure(timing, () -> {
                backend.gemm(false, false, 1.0, a, b, 0.0, c);
                backend.synchronize();
            });
            return new CeilingResult(backend.name(), threads, "sgemm", size, samples);
        }
    }

    /** A seeded {@code [size, size]} matrix, uniform in [-1, 1). */
    public static float[] random(int size, long seed) {
        return CaseData.uniform(new SplittableRandom(seed), (long) size * size);
    }
}
