package dev.lstm4j.peer.pytorch;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.PeerEngine;
import dev.lstm4j.peer.PeerJob;
import dev.lstm4j.peer.StackShape;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * PyTorch's {@code nn.LSTM} on CPU: libtorch's {@code torch::lstm} reached through DJL's PyTorch engine (see
 * {@link TorchLstmRun}). libtorch is loaded on first use; with {@code -Dai.djl.offline=true} DJL takes it from
 * {@code pytorch-native-cpu} on the class path (or its cache) instead of downloading it.
 */
public final class PyTorchEngine implements PeerEngine {
    private static final String DJL_ENGINE = "PyTorch";

    private Engine engine;                   // null until loaded
    private IllegalStateException loadFailure;
    private int threads;                     // 0 until configureThreads
    private String interopThreadsNote;       // why inter-op threads could not be set to 1, if they could not
    private String lstmKernel;               // probed once, for provenance

    @Override
    public String name() {
        return "pytorch";
    }

    /** libtorch's version, e.g. {@code 2.7.1}. */
    @Override
    public String version() {
        return engine().getVersion();
    }

    /**
     * Sets libtorch's intra-op threads (OpenMP and MKL) to {@code threads} and its inter-op threads to 1. The
     * peer's JVM arguments set both already when DJL loads libtorch; this makes the count independent of how the
     * JVM was started. libtorch lets the inter-op count be set only before its pool starts, so a later attempt
     * that fails is recorded in the provenance rather than failing the run: eager ops never use that pool.
     */
    @Override
    public void configureThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        engine();
        JniUtils.setNumThreads(threads);
        if (JniUtils.getNumInteropThreads() != 1) {
            try {
                JniUtils.setNumInteropThreads(1);
            } catch (RuntimeException e) {
                interopThreadsNote = e.getMessage();
            }
        }
        int actual = JniUtils.getNumThreads();
        if (actual != threads) {
            throw new IllegalStateException("libtorch runs " + actual + " intra-op threads after set_num_threads("
                    + threads + ")");
        }
        this.threads = threads;
    }

    @Override
    public Map<String, String> provenance() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("engine", name());
        p.put("libtorch", engine().getVersion());
        p.put("djl", Engine.getDjlVersion());
        p.put("threads", Integer.toString(threads));
        p.put("threads.intraOp", Integer.toString(JniUtils.getNumThreads()));
        p.put("threads.interOp", Integer.toString(JniUtils.getNumInteropThreads()));
        if (interopThreadsNote != null) {
            p.put("threads.interOpNote", interopThreadsNote);
        }
        Set<String> features = new TreeSet<>(JniUtils.getFeatures());
        p.put("features", String.join(",", features));
        p.put("blas", features.contains("MKL") ? "MKL" : "not MKL");
        p.put("lstmKernel", lstmKernel());
        p.put("libtorchPath", LibUtils.getLibtorchPath());
        for (String variable : new String[] {"OMP_NUM_THREADS", "MKL_NUM_THREADS"}) {
            String value = System.getenv(variable);
            if (value != null) {
                p.put("env." + variable, value);
            }
        }
        return p;
    }

    @Override
    public PreparedRun prepare(PeerJob job, Map<String, NdArray> weights, NdArray input, NdArray outputGradient) {
        return prepare(job.shape(), job.mode(), weights, input, outputGradient);
    }

    /** As {@link #prepare(PeerJob, Map, NdArray, NdArray)}, without the job's file names. */
    TorchLstmRun prepare(StackShape shape, BenchMode mode, Map<String, NdArray> weights, NdArray input,
                         NdArray outputGradient) {
        return TorchLstmRun.create(engine(), shape, mode, weights, input, outputGradient);
    }

    /**
     * The autograd node of a float32 LSTM's output in a training step, which names the CPU kernel libtorch
     * picks for {@code nn.LSTM}: {@code MkldnnRnnLayerBackward0} for oneDNN's RNN primitive. The choice does
     * not depend on the sizes, so a tiny stack tells.
     */
    private String lstmKernel() {
        if (lstmKernel == null) {
            StackShape tiny = StackShape.of(2, 1, 1, 1);
            Map<String, NdArray> weights = new LinkedHashMap<>();
            for (TorchParameters.Entry e : TorchParameters.of(tiny, true)) {
                weights.put(e.name(), NdArray.of(new float[e.size()], e.shape()));
            }
            NdArray zeros = NdArray.of(new float[2], 2, 1, 1);
            try (TorchLstmRun run = prepare(tiny, BenchMode.TRAIN, weights, zeros, zeros)) {
                run.run();
                lstmKernel = run.outputGradFn();
            }
        }
        return lstmKernel;
    }

    /** Loads libtorch once; a failure is kept and rethrown, so every caller sees the first cause. */
    private Engine engine() {
        if (engine == null) {
            if (loadFailure != null) {
                throw loadFailure;
            }
            try {
                engine = Engine.getEngine(DJL_ENGINE);
            } catch (RuntimeException | LinkageError e) {
                loadFailure = new IllegalStateException("PyTorch engine unavailable: " + e + " (DJL takes libtorch"
                        + " from the pytorch-native-cpu jar on the class path or from its cache, ENGINE_CACHE_DIR or"
                        + " ~/.djl.ai; with ai.djl.offline=" + System.getProperty("ai.djl.offline", "false")
                        + " it downloads nothing: is that jar in the peer's lib folder?)", e);
                throw loadFailure;
            }
        }
        return engine;
    }
}
