package dev.lstm4j.peer.dl4j;

import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.nd4j.Dl4jExport;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.PeerEngine;
import dev.lstm4j.peer.PeerJob;
import dev.lstm4j.peer.StackShape;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deeplearning4j's {@code LSTM} layer on nd4j-native (libnd4j with OpenBLAS, CPU) as a benchmark peer. Each
 * job gets a fresh {@link MultiLayerNetwork} from {@link Dl4jStack} with the job's weights written by
 * lstm-nd4j's {@link Dl4jExport}; {@link Dl4jRun} times DL4J's own forward and backward.
 */
public final class Dl4jEngine implements PeerEngine {
    private static final String UNKNOWN = "unknown";

    private final Set<String> helpersSeen = new TreeSet<>();
    private int threads;

    @Override
    public String name() {
        return "dl4j";
    }

    /** The version of the deeplearning4j-nn jar actually on the class path. */
    @Override
    public String version() {
        return mavenVersion("org.deeplearning4j", "deeplearning4j-nn", MultiLayerNetwork.class);
    }

    /**
     * libnd4j runs its own loops on OpenMP threads, split among "master" threads, and calls OpenBLAS, which has
     * a pool of its own; all three are capped at {@code threads}. The launcher sets OMP_NUM_THREADS and
     * OPENBLAS_NUM_THREADS too, but setting them here makes an in-process run (tests, JMH) behave the same.
     */
    @Override
    public void configureThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        Environment env = Nd4j.getEnvironment();
        env.setMaxThreads(threads);
        env.setMaxMasterThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** The thread counts are read back from libnd4j and OpenBLAS, not echoed from {@link #configureThreads}. */
    @Override
    public Map<String, String> provenance() {
        Environment env = Nd4j.getEnvironment();
        Properties info = Nd4j.getExecutioner().getEnvironmentInformation();
        String build = Nd4j.getBackend().buildInfo();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("nd4j.backend", Nd4j.getBackend().getClass().getName() + " (" + info.get("backend") + ")");
        p.put("nd4j.version", mavenVersion("org.nd4j", "nd4j-native", Nd4j.getBackend().getClass()));
        p.put("javacpp.version", javacppVersion());
        p.put("libnd4j.build", build.trim().replaceAll("\\s*\\n\\s*", "; "));
        p.put("blas.vendor", info.get("blas.vendor") + " (" + openblas_nolapack.OPENBLAS_VERSION.trim()
                + ", org.bytedeco:openblas " + mavenVersion("org.bytedeco", "openblas", openblas_nolapack.class) + ")");
        p.put("threads.requested", threads == 0 ? "not set" : Integer.toString(threads));
        p.put("threads.blas", String.valueOf(Nd4j.factory().blas().getMaxThreads()));
        p.put("threads.omp", String.valueOf(NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads()));
        p.put("threads.nd4j", env.maxThreads() + " (master " + env.maxMasterThreads() + ")");
        p.put("onednn", build.contains("HAVE_ONEDNN") ? "built into libnd4j" : "absent from this libnd4j build");
        p.put("lstm.helper", helpersSeen.isEmpty() ? "no job prepared" : String.join(", ", helpersSeen));
        p.put("dtype", "float32");
        return p;
    }

    @Override
    public PreparedRun prepare(PeerJob job, Map<String, NdArray> weights, NdArray input, NdArray outputGradient) {
        StackShape shape = job.shape();
        MultiLayerNetwork net = Dl4jStack.build(shape);
        recordHelpers(net);
        INDArray x = null;
        INDArray dy = null;
        try {
            Dl4jExport.copyInto(weights, net);
            x = NcwLayout.toNcw(input, shape.seqLen(), shape.batch(), shape.inputSize());
            if (job.mode() == BenchMode.TRAIN) {
                dy = NcwLayout.toNcw(outputGradient, shape.seqLen(), shape.batch(),
                        (long) shape.directions() * shape.hiddenSize());
            }
            return new Dl4jRun(job.mode(), net, x, dy);
        } catch (RuntimeException e) {
            net.close();
            if (x != null) {
                x.close();
            }
            throw e;
        }
    }

    /**
     * The helper class each layer picked; DL4J 1.0.0-M2.1 names no oneDNN class for {@code LSTM} on the CPU
     * backend, so null (its built-in {@code LSTMHelpers} loops on nd4j ops) is expected.
     */
    private void recordHelpers(MultiLayerNetwork net) {
        for (Layer layer : net.getLayers()) {
            LayerHelper helper = layer.getHelper();
            helpersSeen.add(helper == null ? "none (DL4J's built-in LSTMHelpers loops)" : helper.getClass().getName());
        }
    }

    private static String javacppVersion() {
        try {
            String v = Loader.getVersion();
            return v == null ? UNKNOWN : v;
        } catch (IOException e) {
            return UNKNOWN + " (" + e.getMessage() + ")";
        }
    }

    private static String mavenVersion(String group, String artifact, Class<?> fromJar) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = fromJar.getResourceAsStream(resource)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", UNKNOWN);
        } catch (IOException e) {
            return UNKNOWN + " (" + e.getMessage() + ")";
        }
    }
}
