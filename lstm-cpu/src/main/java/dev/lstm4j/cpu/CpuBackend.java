package dev.lstm4j.cpu;

import dev.lstm4j.api.AdamUpdate;
import dev.lstm4j.api.Backend;
import dev.lstm4j.api.SgdUpdate;
import dev.lstm4j.api.spi.HostOps;
import dev.lstm4j.api.spi.OpsCheck;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.LstmConfig;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Shapes;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.spi.HostInfo;
import dev.lstm4j.api.spi.GemmCheck;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The CPU backend: tensors in off-heap memory, GEMMs in OpenBLAS, fused pointwise passes in Java.
 *
 * <p>Threads: OpenBLAS decides how many threads a GEMM uses: {@code OPENBLAS_NUM_THREADS} before the
 * JVM starts, or {@code lstm.cpu.threads} / {@code LSTM_CPU_THREADS}, which this backend applies when it
 * is created. The setting is process-wide, as OpenBLAS's is.
 */
public final class CpuBackend implements Backend {
    /** Largest Java array the kernels stage data in. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** Default of {@link LstmConfig#CPU_CACHE}, in MiB. */
    static final int DEFAULT_CACHE_MIB = 1024;

    private final HostMemory memory = new HostMemory(cacheBytes());

    CpuBackend() {
        OpenBlas.require();
    }

    @Override
    public String name() {
        return CpuBackendProvider.NAME;
    }

    @Override
    public String description() {
        return "cpu: " + OpenBlas.config() + ", core " + OpenBlas.coreName() + ", "
                + OpenBlas.threads() + " BLAS thread(s), fast math " + (FastMath.ENABLED ? "on" : "off");
    }

    /**
     * Keys {@code description}, {@code blas} (OpenBLAS's build configuration), {@code blas.core} (the kernel
     * family it chose), {@code blas.threads}, {@code fastmath} ({@code true}/{@code false}), {@code cpu.model}
     * ({@code model name} from {@code /proc/cpuinfo}, else {@code os.arch}) and {@code cpu.cores} (processors
     * available to the JVM).
     */
    @Override
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("description", description());
        p.put("blas", OpenBlas.config());
        p.put("blas.core", OpenBlas.coreName());
        p.put("blas.threads", Integer.toString(OpenBlas.threads()));
        p.put("fastmath", Boolean.toString(FastMath.ENABLED));
        p.put("cpu.model", HostInfo.cpuModel());
        p.put("cpu.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return Collections.unmodifiableMap(p);
    }

    @Override
    public Set<DType> supportedDTypes() {
        return EnumSet.of(DType.FLOAT32, DType.FLOAT64);
    }

    @Override
    public Tensor allocate(DType dtype, long... shape) {
        Objects.requireNonNull(dtype, "dtype");
        long size = Shapes.size(shape);
        return new CpuTensor(this, NativeBuffer.allocate(dtype, size, true, memory, "tensor " + dtype
                + Shapes.format(shape)), shape);
    }

    @Override
    public Tensor empty(DType dtype, long... shape) {
        Objects.requireNonNull(dtype, "dtype");
        return allocateUninitialised(dtype, shape);
    }

    /** A tensor whose contents are undefined, for results that a kernel overwrites completely. */
    Tensor allocateUninitialised(DType dtype, long... shape) {
        return new CpuTensor(this, NativeBuffer.allocate(dtype, Shapes.size(shape), false, memory, "tensor " + dtype
                + Shapes.format(shape)), shape);
    }

    @Override
    public Rnn rnn(RnnSpec spec, DType dtype) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(dtype, "dtype");

        // The per-step kernels stage one weight matrix or one step's gates in a Java array.
        long largestMatrix = (long) spec.gateRows() * Math.max(spec.hiddenSize(), spec.layerInputSize(
                spec.numLayers() > 1 ? 1 : 0));
        largestMatrix = Math.max(largestMatrix, (long) spec.gateRows() * spec.inputSize());
        if (largestMatrix > MAX_ARRAY) {
            throw new IllegalArgumentException("stack " + spec + " is too large for the cpu backend: a weight "
                    + "matrix of " + largestMatrix + " elements (" + largestMatrix * dtype.byteSize()
                    + " bytes) exceeds the " + MAX_ARRAY + " elements its kernels can stage in memory at once");
        }
        return new CpuLstm(this, spec, CpuPrecision.of(dtype));
    }

    /**
     * OpenBLAS's {@code cblas_sgemm} / {@code cblas_dgemm}, row-major, on the tensors' memory in place. With
     * {@code beta == 0} OpenBLAS zeroes C instead of scaling it, so C's old contents (NaN included) do not
     * reach the result. m, n and k must each fit in an {@code int}, as OpenBLAS's interface takes 32-bit sizes.
     */
    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        GemmCheck.Sizes sizes = GemmCheck.check(this, transA, transB, alpha, a, b, beta, c);
        int m = blasSize("m", sizes.m(), sizes);
        int n = blasSize("n", sizes.n(), sizes);
        int k = blasSize("k", sizes.k(), sizes);
        // A precision object is three empty pointer views, cheap to make; one per call keeps gemm thread-safe.
        CpuPrecision.of(c.dtype()).gemm(transA, transB, m, n, k, alpha, bufferOf(a), 0, leadingDim(a),
                bufferOf(b), 0, leadingDim(b), beta, bufferOf(c), 0, leadingDim(c));
    }

    /** {@code size} (one of m, n, k, named {@code which}) as an int, or a message saying it is too large. */
    static int blasSize(String which, long size, GemmCheck.Sizes sizes) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("gemm: " + which + " = " + size + " (m, n, k = " + sizes.m() + ", "
                    + sizes.n() + ", " + sizes.k() + ") exceeds " + Integer.MAX_VALUE + ", the largest size "
                    + "OpenBLAS's 32-bit interface takes; split the product into blocks");
        }
        return (int) size;
    }

    /**
     * Row stride of a row-major matrix. BLAS wants at least 1 even for zero columns (k = 0); every dimension is
     * one of m, n, k, already known to fit in an int.
     */
    private static int leadingDim(Tensor t) {
        return (int) Math.max(1, t.dim(1));
    }

    /*
     * Training operations, on the tensors' own memory so that no whole tensor is copied: axpy, scale and the sum
     * of squares are level-1 BLAS; FLOAT32 optimizer steps run in float (Float32Optimizers); FLOAT64 ones go a
     * chunk at a time through double arrays with HostOps' arithmetic, the same as the defaults'.
     */

    /** Elements per chunk of the FLOAT64 optimizer steps. */
    private static final int CHUNK = 1 << 14;

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        OpsCheck.sameShape(this, "axpy", new String[] {"x", "y"}, x, y);
        OpsCheck.finite("axpy", "alpha", alpha);
        CpuPrecision precision = CpuPrecision.of(x.dtype());
        inBlasBlocks(x.size(), (n, offset) -> {
            precision.axpy(n, alpha, bufferOf(x), offset, bufferOf(y), offset);
            return 0;
        });
    }

    @Override
    public void scale(double alpha, Tensor x) {
        OpsCheck.sameShape(this, "scale", new String[] {"x"}, x);
        OpsCheck.finite("scale", "alpha", alpha);
        CpuPrecision precision = CpuPrecision.of(x.dtype());
        inBlasBlocks(x.size(), (n, offset) -> {
            precision.scale(n, alpha, bufferOf(x), offset);
            return 0;
        });
    }

    @Override
    public double sumOfSquares(Tensor x) {
        OpsCheck.sameShape(this, "sumOfSquares", new String[] {"x"}, x);
        CpuPrecision precision = CpuPrecision.of(x.dtype());
        return inBlasBlocks(x.size(), (n, offset) -> precision.sumOfSquares(n, bufferOf(x), offset));
    }

    /** A level-1 BLAS call on {@code n} elements from {@code offset}; a partial sum or 0. */
    private interface BlasBlock {
        double apply(int n, long offset);
    }

    /** Runs {@code op} over {@code size} elements in blocks that fit BLAS's 32-bit sizes; sums the results. */
    private static double inBlasBlocks(long size, BlasBlock op) {
        double sum = 0;
        for (long done = 0; done < size; done += Integer.MAX_VALUE) {
            sum += op.apply((int) Math.min(Integer.MAX_VALUE, size - done), done);
        }
        return sum;
    }

    @Override
    public void adam(Tensor param, Tensor grad, Tensor m, Tensor v, AdamUpdate update) {
        OpsCheck.sameShape(this, "adam", new String[] {"param", "grad", "m", "v"}, param, grad, m, v);
        Objects.requireNonNull(update, "update");
        if (param.dtype() == DType.FLOAT32) {
            Float32Optimizers.adam(bufferOf(param), bufferOf(grad), bufferOf(m), bufferOf(v), param.size(), update);
            return;
        }
        chunked(new Tensor[] {param, grad, m, v}, new boolean[] {true, false, true, true}, (a, n) -> {
            HostOps.adam(a[0], a[1], a[2], a[3], n, update);
            return 0;
        });
    }

    @Override
    public void sgd(Tensor param, Tensor grad, Tensor velocity, SgdUpdate update) {
        OpsCheck.sameShape(this, "sgd", new String[] {"param", "grad", "velocity"}, param, grad, velocity);
        Objects.requireNonNull(update, "update");
        if (param.dtype() == DType.FLOAT32) {
            Float32Optimizers.sgd(bufferOf(param), bufferOf(grad), bufferOf(velocity), param.size(), update);
            return;
        }
        chunked(new Tensor[] {param, grad, velocity}, new boolean[] {true, false, true}, (a, n) -> {
            HostOps.sgd(a[0], a[1], a[2], n, update);
            return 0;
        });
    }

    @Override
    public void addRowVector(Tensor matrix, Tensor vector) {
        long[] shape = OpsCheck.addRowVector(this, matrix, vector);
        CpuLayerOps.addRowVector(CpuPrecision.of(matrix.dtype()), bufferOf(matrix), (int) shape[0], (int) shape[1],
                bufferOf(vector));
    }

    @Override
    public void sumRows(Tensor matrix, Tensor out, double beta) {
        long[] shape = OpsCheck.sumRows(this, matrix, out, beta);
        CpuLayerOps.sumRows(CpuPrecision.of(matrix.dtype()), bufferOf(matrix), (int) shape[0], (int) shape[1],
                bufferOf(out), beta);
    }

    @Override
    public void gatherRows(Tensor src, int[] rows, Tensor dst) {
        long[] shape = OpsCheck.gatherRows(this, src, rows, dst);
        CpuLayerOps.gatherRows(bufferOf(src), rows, (int) shape[1], bufferOf(dst));
    }

    @Override
    public void scatterAddRows(Tensor src, int[] rows, Tensor dst) {
        long[] shape = OpsCheck.scatterAddRows(this, src, rows, dst);
        CpuLayerOps.scatterAddRows(CpuPrecision.of(src.dtype()), bufferOf(src), rows, (int) shape[1], bufferOf(dst));
    }

    @Override
    public double mseLoss(Tensor pred, Tensor target, Tensor dPred) {
        OpsCheck.mseLoss(this, pred, target, dPred);
        return CpuLayerOps.mseLoss(CpuPrecision.of(pred.dtype()), bufferOf(pred), bufferOf(target), bufferOf(dPred),
                pred.size());
    }

    @Override
    public double softmaxCrossEntropy(Tensor logits, int[] targets, Tensor dLogits) {
        long[] shape = OpsCheck.softmaxCrossEntropy(this, logits, targets, dLogits);
        return CpuLayerOps.softmaxCrossEntropy(CpuPrecision.of(logits.dtype()), bufferOf(logits), targets,
                (int) shape[0], (int) shape[1], bufferOf(dLogits));
    }

    /** What a chunked operation does to {@code n} elements of each tensor, staged as doubles; a partial sum or 0. */
    private interface ChunkOp {
        double apply(double[][] chunks, int n);
    }

    /**
     * Runs {@code op} over checked tensors of one shape and dtype, chunk by chunk; writes back the tensors
     * marked. Returns the sum of the chunks' partial results.
     */
    private static double chunked(Tensor[] tensors, boolean[] written, ChunkOp op) {
        CpuPrecision precision = CpuPrecision.of(tensors[0].dtype());
        long size = tensors[0].size();
        double[][] staged = new double[tensors.length][(int) Math.min(size, CHUNK)];
        double sum = 0;
        for (long done = 0; done < size; done += CHUNK) {
            int n = (int) Math.min(CHUNK, size - done);
            for (int i = 0; i < tensors.length; i++) {
                precision.read(bufferOf(tensors[i]), done, staged[i], n);
            }
            sum += op.apply(staged, n);
            for (int i = 0; i < tensors.length; i++) {
                if (written[i]) {
                    precision.write(staged[i], n, bufferOf(tensors[i]), done);
                }
            }
        }
        return sum;
    }

    @Override
    public long liveBytes() {
        return memory.live();
    }

    /** Frees the cached blocks; tensors, reserves and each Rnn free their own memory when closed. */
    @Override
    public void close() {
        memory.close();
    }

    /** Bytes of freed blocks held for reuse (see {@link LstmConfig#CPU_CACHE}); not counted in liveBytes. */
    long cachedBytes() {
        return memory.cached();
    }

    private static long cacheBytes() {
        int mib = LstmConfig.CPU_CACHE.intValue().orElse(DEFAULT_CACHE_MIB);
        if (mib < 0) {
            throw new IllegalArgumentException(LstmConfig.CPU_CACHE.property() + " / "
                    + LstmConfig.CPU_CACHE.environment() + " must be >= 0 MiB, got " + mib);
        }
        return (long) mib << 20;
    }

    /** Scratch or reserve memory with undefined contents: every user overwrites it before reading. */
    NativeBuffer allocateBuffer(DType dtype, long elements, String what) {
        return NativeBuffer.allocate(dtype, elements, false, memory, what);
    }

    /** The native memory of a tensor that the caller has already checked belongs to this backend. */
    static NativeBuffer bufferOf(Tensor t) {
        if (!(t instanceof CpuTensor ct)) {
            throw new IllegalArgumentException("tensor " + t + " is not a cpu tensor");
        }
        return ct.buffer();
    }

    @Override
    public String toString() {
        return "CpuBackend@" + Integer.toHexString(System.identityHashCode(this));
    }
}
