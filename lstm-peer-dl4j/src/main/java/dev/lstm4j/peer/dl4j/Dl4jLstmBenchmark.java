package dev.lstm4j.peer.dl4j;

import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.peer.BenchConfigs;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.PeerEngine;
import dev.lstm4j.peer.PeerJob;
import dev.lstm4j.peer.StackShape;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * DL4J's LSTM under JMH, over the shared catalogue {@link BenchConfigs}: one iteration is one
 * {@link PeerEngine.PreparedRun#run()} of {@link Dl4jEngine}, the same call the peer process times.
 * Run from the peer folder: {@code java -cp 'target/peer/lib/*' org.openjdk.jmh.Main Dl4jLstmBenchmark
 * -p config=small}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
// The JVM arguments of src/peer/peer.properties, which explains them.
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC", "-Dorg.bytedeco.javacpp.maxbytes=0",
        "-Dorg.bytedeco.javacpp.maxphysicalbytes=0"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Dl4jLstmBenchmark {
    private static final long SEED = 20240601L;

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

    private PeerEngine.PreparedRun run;

    @Setup
    public void setUp() throws Exception {
        StackShape shape = BenchConfigs.byName(config).shape();
        BenchMode benchMode = BenchMode.parse(mode);
        Dl4jEngine engine = new Dl4jEngine();
        engine.configureThreads(threads);
        SplittableRandom random = new SplittableRandom(SEED);
        Map<String, NdArray> weights = randomWeights(shape, random);
        NdArray x = uniform(random, 1.0, shape.seqLen(), shape.batch(), shape.inputSize());
        NdArray dy = benchMode == BenchMode.TRAIN
                ? uniform(random, 1.0, shape.seqLen(), shape.batch(), (long) shape.directions() * shape.hiddenSize())
                : null;
        // The engine reads only the shape and mode of a job; the files are the peer process's business.
        Path none = Path.of("in-memory");
        PeerJob job = new PeerJob(config + "-" + mode, config, shape, benchMode, none, none,
                dy == null ? null : none, none);
        run = engine.prepare(job, weights, x, dy);
    }

    @Benchmark
    public void step() throws Exception {
        run.run();
    }

    @TearDown
    public void tearDown() throws Exception {
        if (run != null) {
            run.close();
            run = null;
        }
    }

    /** PyTorch's names and shapes, values uniform in [-1/sqrt(H), 1/sqrt(H)) as PyTorch initialises them. */
    private static Map<String, NdArray> randomWeights(StackShape shape, SplittableRandom random) {
        double bound = 1.0 / Math.sqrt(shape.hiddenSize());
        long rows = 4L * shape.hiddenSize();
        Map<String, NdArray> w = new LinkedHashMap<>();
        for (int layer = 0; layer < shape.numLayers(); layer++) {
            for (int dir = 0; dir < shape.directions(); dir++) {
                w.put(torchName("weight_ih", layer, dir),
                        uniform(random, bound, rows, shape.layerInputSize(layer)));
                w.put(torchName("weight_hh", layer, dir),
                        uniform(random, bound, rows, shape.hiddenSize()));
                w.put(torchName("bias_ih", layer, dir), uniform(random, bound, rows));
                w.put(torchName("bias_hh", layer, dir), uniform(random, bound, rows));
            }
        }
        return w;
    }

    /** {@code weight_hh_l1_reverse} and the like. */
    private static String torchName(String kind, int layer, int direction) {
        return kind + "_l" + layer + (direction == 1 ? "_reverse" : "");
    }

    private static NdArray uniform(SplittableRandom random, double bound, long... shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        float[] v = new float[Math.toIntExact(n)];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) random.nextDouble(-bound, bound);
        }
        return NdArray.of(v, shape);
    }
}
