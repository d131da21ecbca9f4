package dev.lstm4j.bench.jmh;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.bench.Ceiling;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The ceiling: the backend's own float32 GEMM, C = A·B on square matrices (2 * size^3 FLOPs per operation).
 * Run it with the LSTM benchmarks to state their rates as a fraction of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dorg.bytedeco.javacpp.nopointergc=true")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GemmCeilingBenchmark {

    @Param({"cpu", "cuda"})
    public String backend;

    @Param({"2048"})
    public int size;

    @Param({"1"})
    public int threads;

    private Backend engine;
    private Tensor a;   // [size, size]
    private Tensor b;   // [size, size]
    private Tensor c;   // [size, size]

    @Setup(Level.Trial)
    public void setUp() {
        engine = BackendFixture.create(backend, threads);
        System.out.println("# " + engine.description() + "; OPENBLAS_CORETYPE="
                + System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset"));
        a = engine.tensor(Ceiling.random(size, 1), size, size);
        b = engine.tensor(Ceiling.random(size, 2), size, size);
        c = engine.allocate(DType.FLOAT32, size, size);
    }

    @Benchmark
    public void sgemm() {
        engine.gemm(false, false, 1.0, a, b, 0.0, c);
        engine.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        dev.lstm4j.api.Closeables.closeAll(c, b, a);
        BackendFixture.closeChecked(engine);
    }
}
