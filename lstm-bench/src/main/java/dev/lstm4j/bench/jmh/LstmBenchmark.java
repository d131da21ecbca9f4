package dev.lstm4j.bench.jmh;

import dev.lstm4j.peer.BenchConfigs;
import dev.lstm4j.api.Backend;
import dev.lstm4j.api.CellType;
import dev.lstm4j.bench.Lstm4jCase;
import dev.lstm4j.peer.BenchMode;
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
 * One LSTM inference pass or training step (forward, backward data, backward weights) per operation, for
 * every catalogue configuration, mode, backend and thread count. Divide the configuration's FLOPs
 * ({@code lstm bench} prints them; forward 2*T*B*4H*(I+H) per layer and direction, training 3x) by the score
 * for GFLOP/s. The same parameters drive the peers' JMH benchmarks (lstm-peer-pytorch, lstm-peer-dl4j).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dorg.bytedeco.javacpp.nopointergc=true")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LstmBenchmark {

    @Param({"cpu", "cuda"})
    public String backend;

    @Param({"small", "medium", "large", "xl", "fastrnns",
            "deepbench-h512-b16", "deepbench-h512-b64", "deepbench-h512-b128",
            "deepbench-h1024-b16", "deepbench-h1024-b64", "deepbench-h1024-b128",
            "deepbench-h2048-b16", "deepbench-h2048-b64", "deepbench-h2048-b128",
            "medium-2layer", "medium-bidir"})
    public String config;

    @Param({"inference", "train"})
    public String mode;

    @Param({"1"})
    public int threads;

    /** {@code LSTM} or {@code PEEPHOLE_LSTM} (the peephole LSTM's cost against the plain one). */
    @Param({"LSTM"})
    public String cell = "LSTM";

    private Backend engine;
    private Lstm4jCase lstm;

    @Setup(Level.Trial)
    public void setUp() {
        engine = BackendFixture.create(backend, threads);
        System.out.println("# " + engine.description() + "; OPENBLAS_CORETYPE="
                + System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset"));
        lstm = Lstm4jCase.prepare(engine, BenchConfigs.byName(config).shape(), BenchMode.parse(mode),
                CellType.valueOf(cell));
    }

    @Benchmark
    public void step() {
        lstm.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (lstm != null) {
            lstm.close();
        }
        BackendFixture.closeChecked(engine);
    }
}
