package dev.lstm4j.cuda;

import dev.lstm4j.api.AdamUpdate;
import dev.lstm4j.api.Backend;
import dev.lstm4j.api.SgdUpdate;
import dev.lstm4j.api.spi.OpsCheck;
import dev.lstm4j.api.CellType;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Shapes;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.spi.GemmCheck;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The CUDA backend: tensors in device memory, GEMMs in cuBLAS, the fused pointwise steps as NVRTC-compiled
 * kernels, all on one stream per backend instance, with each recurrent operation's time loop captured once
 * into a CUDA graph and replayed (see {@link CudaContext}).
 *
 * <p>Calls are asynchronous: they queue work and return; copies to the host, {@link #synchronize()} and
 * {@link Tensor#toFloatArray()} wait. Tensors stay valid after {@link #close()}; the stream and handles are
 * released when the last of them is closed.
 */
public final class CudaBackend implements Backend {
    private final DeviceContext context;
    private final DeviceMemory memory;
    private volatile boolean closed;

    CudaBackend(DeviceContext context) {
        this.context = context;
        this.memory = new DeviceMemory(context, context::close);
    }

    @Override
    public String name() {
        return CudaBackendProvider.NAME;
    }

    @Override
    public String description() {
        return "cuda: " + context.description();
    }

    /** Keys {@code description} plus the device's own (name, compute capability, driver, math mode, graphs). */
    @Override
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("description", description());
        p.putAll(context.properties());
        return Collections.unmodifiableMap(p);
    }

    @Override
    public Set<DType> supportedDTypes() {
        return EnumSet.of(DType.FLOAT32, DType.FLOAT64);
    }

    @Override
    public Tensor allocate(DType dtype, long... shape) {
        Tensor t = allocateUninitialised(dtype, shape);
        t.fillZero();
        return t;
    }

    @Override
    public Tensor empty(DType dtype, long... shape) {
        return allocateUninitialised(dtype, shape);
    }

    /** A tensor whose contents are undefined, for results that the kernels overwrite completely. */
    CudaTensor allocateUninitialised(DType dtype, long... shape) {
        Objects.requireNonNull(dtype, "dtype");
        long size = Shapes.size(shape);
        return new CudaTensor(this, dtype, buffer(size * dtype.byteSize(), "tensor " + dtype + Shapes.format(shape)),
                shape);
    }

    /** Device memory with undefined contents for workspaces and reserves. */
    DeviceBuffer buffer(long bytes, String what) {
        if (closed) {
            throw new IllegalStateException("cuda backend is closed");
        }
        return memory.allocate(bytes, what);
    }

    @Override
    public Rnn rnn(RnnSpec spec, DType dtype) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(dtype, "dtype");
        if (!supportedDTypes().contains(dtype)) {
            throw new UnsupportedOperationException("cuda backend computes in " + supportedDTypes() + ", not " + dtype);
        }
        if (context.options().cudnn()) {
            if (spec.cell() != CellType.LSTM) {
                throw new UnsupportedOperationException("the cuDNN path (lstm.cuda.rnn=cudnn) has no " + spec.cell()
                        + "; the custom path runs it");
            }
            if (spec.projects()) {
                throw new UnsupportedOperationException("the cuDNN path (lstm.cuda.rnn=cudnn) does not map projection "
                        + "(projSize " + spec.projSize() + ") yet; the custom path runs it");
            }
            if (!(context instanceof CudaContext cuda)) {
                throw new UnsupportedOperationException("the cuDNN path (lstm.cuda.rnn=cudnn) needs a GPU");
            }
            return new CudnnLstm(this, spec, dtype, cuda);
        }
        return new CudaLstm(this, spec, dtype);
    }

    /**
     * cuBLAS {@code cublasSgemm} / {@code cublasDgemm} on the tensors in place, row-major (run as the
     * column-major product of the transposes). With {@code beta == 0} C is not read. m, n and k must each fit in
     * an int, cuBLAS's size type.
     */
    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        GemmCheck.Sizes sizes = GemmCheck.check(this, transA, transB, alpha, a, b, beta, c);
        int m = blasSize("m", sizes.m(), sizes);
        int n = blasSize("n", sizes.n(), sizes);
        int k = blasSize("k", sizes.k(), sizes);
        run(List.of(new Command.Gemm(c.dtype(), transA, transB, m, n, k, alpha, tensor(a).address(), leadingDim(a),
                tensor(b).address(), leadingDim(b), beta, tensor(c).address(), leadingDim(c))), false);
    }

    private static int blasSize(String which, long size, GemmCheck.Sizes sizes) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("gemm: " + which + " = " + size + " (m, n, k = " + sizes.m() + ", "
                    + sizes.n() + ", " + sizes.k() + ") exceeds " + Integer.MAX_VALUE + ", the largest size cuBLAS "
                    + "takes; split the product into blocks");
        }
        return (int) size;
    }

    /** Row stride of a row-major matrix; cuBLAS wants at least 1 even for zero columns. */
    private static int leadingDim(Tensor t) {
        return (int) Math.max(1, t.dim(1));
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        OpsCheck.sameShape(this, "axpy", new String[] {"x", "y"}, x, y);
        OpsCheck.finite("axpy", "alpha", alpha);
        run(List.of(new Kernels(x.dtype()).axpy(x.size(), alpha, tensor(x).address(), tensor(y).address())), false);
    }

    @Override
    public void scale(double alpha, Tensor x) {
        OpsCheck.sameShape(this, "scale", new String[] {"x"}, x);
        OpsCheck.finite("scale", "alpha", alpha);
        run(List.of(new Kernels(x.dtype()).scale(x.size(), alpha, tensor(x).address())), false);
    }

    /** Partial sums on the device, their total on the host: the same result on every run. */
    @Override
    public double sumOfSquares(Tensor x) {
        OpsCheck.sameShape(this, "sumOfSquares", new String[] {"x"}, x);
        try (DeviceBuffer partial = buffer(8L * Kernels.SUM_THREADS, "partial sums of squares")) {
            run(List.of(new Kernels(x.dtype()).sumSquares(x.size(), tensor(x).address(), partial.address())), false);
            return sumOfPartials(partial);
        }
    }

    /** Adds the {@link Kernels#SUM_THREADS} partial sums a sum-of-squares kernel left, in order (deterministic). */
    double sumOfPartials(DeviceBuffer partial) {
        double[] sums = new double[Kernels.SUM_THREADS];
        context.read(partial.address(), sums, 0, sums.length);
        double total = 0;
        for (double s : sums) {
            total += s;
        }
        return total;
    }

    @Override
    public void adam(Tensor param, Tensor grad, Tensor m, Tensor v, AdamUpdate update) {
        OpsCheck.sameShape(this, "adam", new String[] {"param", "grad", "m", "v"}, param, grad, m, v);
        Objects.requireNonNull(update, "update");
        run(List.of(new Kernels(param.dtype()).adam(param.size(), tensor(param).address(), tensor(grad).address(),
                tensor(m).address(), tensor(v).address(), update)), false);
    }

    @Override
    public void sgd(Tensor param, Tensor grad, Tensor velocity, SgdUpdate update) {
        OpsCheck.sameShape(this, "sgd", new String[] {"param", "grad", "velocity"}, param, grad, velocity);
        Objects.requireNonNull(update, "update");
        run(List.of(new Kernels(param.dtype()).sgd(param.size(), tensor(param).address(), tensor(grad).address(),
                tensor(velocity).address(), update)), false);
    }

    /** Queues commands on this backend's stream (see {@link DeviceContext#run}). */
    @Override
    public void addRowVector(Tensor matrix, Tensor vector) {
        CudaLayerOps.addRowVector(this, matrix, vector);
    }

    @Override
    public void sumRows(Tensor matrix, Tensor out, double beta) {
        CudaLayerOps.sumRows(this, matrix, out, beta);
    }

    @Override
    public void gatherRows(Tensor src, int[] rows, Tensor dst) {
        CudaLayerOps.gatherRows(this, src, rows, dst);
    }

    @Override
    public void scatterAddRows(Tensor src, int[] rows, Tensor dst) {
        CudaLayerOps.scatterAddRows(this, src, rows, dst);
    }

    @Override
    public double mseLoss(Tensor pred, Tensor target, Tensor dPred) {
        return CudaLayerOps.mseLoss(this, pred, target, dPred);
    }

    @Override
    public double softmaxCrossEntropy(Tensor logits, int[] targets, Tensor dLogits) {
        return CudaLayerOps.softmaxCrossEntropy(this, logits, targets, dLogits);
    }

    void run(List<Command> commands, boolean replayable) {
        context.run(commands, replayable);
    }

    DeviceContext context() {
        return context;
    }

    /** The device memory of a tensor that the caller has already checked belongs to this backend. */
    static CudaTensor tensor(Tensor t) {
        if (!(t instanceof CudaTensor ct)) {
            throw new IllegalArgumentException("tensor " + t + " is not a cuda tensor");
        }
        return ct;
    }

    @Override
    public void synchronize() {
        context.synchronize();
    }

    /** Device bytes held by this instance's tensors, parameters, reserves and workspaces (not its free cache). */
    @Override
    public long liveBytes() {
        return memory.liveBytes();
    }

    /** Frees the cached blocks; the stream and handles go when the last tensor handed out is closed. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            memory.shutDown();
        }
    }

    @Override
    public String toString() {
        return "CudaBackend@" + Integer.toHexString(System.identityHashCode(this));
    }
}
