package dev.lstm4j.bench.jmh;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.CellType;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.bench.Lstm4jCase;
import dev.lstm4j.peer.BenchConfigs;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.StackShape;
import dev.lstm4j.train.Adam;
import dev.lstm4j.train.GradientClipping;
import dev.lstm4j.train.LanguageModel;
import dev.lstm4j.train.RecurrentState;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a whole training step costs beside the recurrent stack's own forward and backward, in one run:
 * {@code part=stack} is the raw training step of the configuration's stack (as {@link LstmBenchmark}'s train
 * mode); {@code part=model} is a full {@link LanguageModel} step on the same stack: embedding lookup (width
 * I), the stack, a per-step head over a 128-token vocabulary, softmax cross-entropy, global-norm clipping and
 * Adam. The ratio model/stack is the overhead of everything that is not the recurrence.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dorg.bytedeco.javacpp.nopointergc=true")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TrainingStepBenchmark {
    private static final int VOCABULARY = 128;

    @Param({"cpu", "cuda"})
    public String backend;

    @Param({"large"})
    public String config;

    @Param({"stack", "model"})
    public String part;

    @Param({"1"})
    public int threads;

    private Backend engine;
    private Lstm4jCase stack;
    private LanguageModel model;
    private RecurrentState state;
    private Adam adam;
    private int[] tokens;
    private int[] targets;
    private StackShape shape;

    @Setup(Level.Trial)
    public void setUp() {
        engine = BackendFixture.create(backend, threads);
        System.out.println("# " + engine.description() + "; OPENBLAS_CORETYPE="
                + System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset"));
        shape = BenchConfigs.byName(config).shape();
        if (part.equals("stack")) {
            stack = Lstm4jCase.prepare(engine, shape, BenchMode.TRAIN, CellType.LSTM);
            return;
        }
        RnnSpec spec = RnnSpec.lstm(shape.inputSize(), shape.hiddenSize()).numLayers(shape.numLayers())
                .bidirectional(shape.bidirectional()).build();
        model = new LanguageModel(engine, DType.FLOAT32, VOCABULARY, spec, 1);
        state = model.newState(shape.batch());
        adam = Adam.defaults();
        SplittableRandom random = new SplittableRandom(2);
        tokens = random.ints((long) shape.seqLen() * shape.batch(), 0, VOCABULARY).toArray();
        targets = random.ints((long) shape.seqLen() * shape.batch(), 0, VOCABULARY).toArray();
    }

    @Benchmark
    public double step() {
        if (stack != null) {
            stack.run();
            return 0;
        }
        double loss = model.trainStep(tokens, targets, shape.seqLen(), shape.batch(), state);
        GradientClipping.clipGlobalNorm(model.parameters(), 1.0);
        adam.step(model.parameters(), 1e-3);
        engine.synchronize();
        return loss;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (stack != null) {
            stack.close();
        }
        if (model != null) {
            adam.close();
            state.close();
            model.close();
        }
        BackendFixture.closeChecked(engine);
    }
}
