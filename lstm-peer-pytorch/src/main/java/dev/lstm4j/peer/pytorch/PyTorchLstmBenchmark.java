package dev.lstm4j.peer.pytorch;

import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.BenchConfigs;
import dev.lstm4j.peer.StackShape;
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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One iteration of PyTorch's {@code nn.LSTM} (see {@link TorchLstmRun}) under JMH, with lstm-bench's
 * configuration names. Run it from this module with
 * {@code java -cp 'target/peer/lib/*' org.openjdk.jmh.Main PyTorchLstmBenchmark -p config=medium}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_interop_threads=1"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PyTorchLstmBenchmark {
    private static final long SEED = 20240611L;

    /** Any name of lstm-bench's catalogue; the default is its standard group. */
    @Param({"small", "medium", "large", "xl"})
    public String config;

    @Param({"inference", "train"})
    public String mode;

    @Param({"1"})
    public int threads;

    private TorchLstmRun run;

    @Setup(Level.Trial)
    public void setUp() {
        StackShape shape = BenchConfigs.byName(config).shape();
        BenchMode benchMode = BenchMode.parse(mode);
        PyTorchEngine engine = new PyTorchEngine();
        engine.configureThreads(threads);
        SplittableRandom random = new SplittableRandom(SEED);
        float bound = (float) (1 / Math.sqrt(shape.hiddenSize()));   // nn.LSTM's default initialisation
        Map<String, NdArray> weights = new LinkedHashMap<>();
        for (TorchParameters.Entry e : TorchParameters.of(shape, true)) {
            weights.put(e.name(), NdArray.of(uniform(random, e.size(), bound), e.shape()));
        }
        long seqLen = shape.seqLen();
        long batch = shape.batch();
        NdArray x = NdArray.of(uniform(random, shape.seqLen() * shape.batch() * shape.inputSize(), 1f),
                seqLen, batch, shape.inputSize());
        int outWidth = shape.directions() * shape.hiddenSize();
        NdArray dy = benchMode == BenchMode.TRAIN
                ? NdArray.of(uniform(random, shape.seqLen() * shape.batch() * outWidth, 1f), seqLen, batch, outWidth)
                : null;
        run = engine.prepare(shape, benchMode, weights, x, dy);
    }

    @Benchmark
    public void iteration() {
        run.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (run != null) {
            run.close();
        }
    }

    TorchLstmRun preparedRun() {
        return run;
    }

    private static float[] uniform(SplittableRandom random, int n, float bound) {
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = (float) random.nextDouble(-bound, bound);
        }
        return a;
    }
}
