package dev.lstm4j.cuda;

import dev.lstm4j.api.DType;
import dev.lstm4j.cuda.KernelArg.F32;
import dev.lstm4j.cuda.KernelArg.F64;
import dev.lstm4j.cuda.KernelArg.I32;
import dev.lstm4j.cuda.KernelArg.I64;
import dev.lstm4j.cuda.KernelArg.Ptr;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One backend instance's share of a GPU: a non-blocking stream, a cuBLAS handle bound to it (with its own
 * workspace, so graph capture never allocates), pinned staging memory for host copies, the device's NVRTC-built
 * kernels, and the graph cache. Every status is checked by {@link CudaCheck}. Methods are synchronised: one
 * thread at a time drives the stream.
 */
final class CudaContext implements DeviceContext {
    private static final long STAGING_BYTES = 4L << 20;
    private static final long CUBLAS_WORKSPACE_BYTES = 32L << 20;
    private static final int GRAPH_CAPACITY = 64;
    private static final int MAX_KERNEL_ARGS = 16;

    private final CudaProbe.Device device;
    private final CudaOptions options;
    private final KernelModule kernels;
    private final CUstream_st stream = new CUstream_st();
    private final cublasContext cublasHandle = new cublasContext();
    private final Pointer cublasWorkspace = new Pointer();
    private final Pointer staging = new Pointer();
    private final GraphCache graphs = new GraphCache(GRAPH_CAPACITY);
    private final BytePointer argValues = new BytePointer(8L * MAX_KERNEL_ARGS);
    private final PointerPointer<Pointer> argSlots = new PointerPointer<>(MAX_KERNEL_ARGS);
    private final FloatPointer alphaF = new FloatPointer(1);
    private final FloatPointer betaF = new FloatPointer(1);
    private final DoublePointer alphaD = new DoublePointer(1);
    private final DoublePointer betaD = new DoublePointer(1);
    private final DevicePointers.Floats fa = new DevicePointers.Floats();
    private final DevicePointers.Floats fb = new DevicePointers.Floats();
    private final DevicePointers.Floats fc = new DevicePointers.Floats();
    private final DevicePointers.Doubles da = new DevicePointers.Doubles();
    private final DevicePointers.Doubles db = new DevicePointers.Doubles();
    private final DevicePointers.Doubles dc = new DevicePointers.Doubles();
    private cudnnContext cudnnHandle;   // created on first use of the cuDNN path
    private boolean closed;

    private CudaContext(CudaProbe.Device device, CudaOptions options) {
        this.device = device;
        this.options = options;
        makeCurrent();
        this.kernels = KernelModule.forDevice(device.index(), device.computeCapability());
        for (int i = 0; i < MAX_KERNEL_ARGS; i++) {
            argSlots.put(i, DevicePointers.at(argValues.address() + 8L * i));
        }
    }

    /** Opens a context on {@code device}; on failure releases whatever it had created. */
    static CudaContext open(CudaProbe.Device device, CudaOptions options) {
        CudaContext c = new CudaContext(device, options);
        try {
            CudaCheck.runtime(cudart.cudaStreamCreateWithFlags(c.stream, cudart.cudaStreamNonBlocking),
                    "cudaStreamCreateWithFlags");
            CudaCheck.cublas(cublas.cublasCreate_v2(c.cublasHandle), "cublasCreate");
            CudaCheck.cublas(cublas.cublasSetStream_v2(c.cublasHandle, c.stream), "cublasSetStream");
            CudaCheck.runtime(cudart.cudaMalloc(c.cublasWorkspace, CUBLAS_WORKSPACE_BYTES), "cudaMalloc(cuBLAS workspace)");
            CudaCheck.cublas(cublas.cublasSetWorkspace_v2(c.cublasHandle, c.cublasWorkspace, CUBLAS_WORKSPACE_BYTES),
                    "cublasSetWorkspace");
            CudaCheck.cublas(cublas.cublasSetMathMode(c.cublasHandle, options.tf32()
                    ? cublas.CUBLAS_TF32_TENSOR_OP_MATH : cublas.CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
            CudaCheck.runtime(cudart.cudaMallocHost(c.staging, STAGING_BYTES), "cudaMallocHost(staging)");
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    /** Makes the device's primary context current on the calling thread (cheap when it already is). */
    private void makeCurrent() {
        CudaCheck.runtime(cudart.cudaSetDevice(device.index()), "cudaSetDevice(" + device.index() + ")");
    }

    @Override
    public CudaOptions options() {
        return options;
    }

    @Override
    public String description() {
        return device.describe() + ", kernels " + kernels.architecture() + ", " + options.mathName() + " GEMMs, graphs "
                + (options.graphs() ? "on" : "off") + ", " + options.rnnName() + " recurrent path";
    }

    /**
     * Runs cuDNN calls with this context's handle, bound to its stream, while holding the context: cuDNN work
     * is ordered with everything else queued here.
     */
    synchronized void withCudnn(java.util.function.Consumer<cudnnContext> calls) {
        makeCurrent();
        if (cudnnHandle == null) {
            cudnnContext h = new cudnnContext();
            CudaCheck.cudnn(cudnn.cudnnCreate(h), "cudnnCreate");
            cudnnHandle = h;
            CudaCheck.cudnn(cudnn.cudnnSetStream(h, stream), "cudnnSetStream");
        }
        calls.accept(cudnnHandle);
    }

    @Override
    public synchronized Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("device", device.name());
        p.put("device.index", Integer.toString(device.index()));
        p.put("device.sm", "sm_" + device.computeCapability());
        p.put("driver.cuda", CudaProbe.version(device.driverVersion()));
        int[] runtime = new int[1];
        if (cudart.cudaRuntimeGetVersion(runtime) == cudart.cudaSuccess) {
            p.put("runtime.cuda", CudaProbe.version(runtime[0]));
        }
        int[] cublasVersion = new int[1];
        if (!closed && cublas.cublasGetVersion_v2(cublasHandle, cublasVersion) == cublas.CUBLAS_STATUS_SUCCESS) {
            p.put("cublas", Integer.toString(cublasVersion[0]));
        }
        p.put("math", options.mathName());
        p.put("rnn", options.rnnName());
        if (options.cudnn()) {
            p.put("cudnn", Long.toString(cudnn.cudnnGetVersion()));
        }
        p.put("graphs", Boolean.toString(options.graphs()));
        p.put("graphs.captured", Long.toString(graphs.captures()));
        p.put("graphs.replayed", Long.toString(graphs.replays()));
        return p;
    }

    @Override
    public synchronized long malloc(long bytes) {
        makeCurrent();
        Pointer p = new Pointer();
        CudaCheck.runtime(cudart.cudaMalloc(p, bytes), "cudaMalloc(" + bytes + " bytes)");
        return p.address();
    }

    @Override
    public synchronized void free(long address) {
        makeCurrent();
        sync();
        CudaCheck.runtime(cudart.cudaFree(DevicePointers.at(address)), "cudaFree");
    }

    @Override
    public synchronized void write(long dst, float[] src, int offset, int length) {
        FloatPointer host = new FloatPointer(staging);
        int chunk = (int) (STAGING_BYTES / 4);
        for (int done = 0; done < length; done += chunk) {
            int n = Math.min(chunk, length - done);
            host.put(src, offset + done, n);
            upload(dst + 4L * done, 4L * n);
        }
    }

    @Override
    public synchronized void write(long dst, double[] src, int offset, int length) {
        DoublePointer host = new DoublePointer(staging);
        int chunk = (int) (STAGING_BYTES / 8);
        for (int done = 0; done < length; done += chunk) {
            int n = Math.min(chunk, length - done);
            host.put(src, offset + done, n);
            upload(dst + 8L * done, 8L * n);
        }
    }

    @Override
    public synchronized void write(long dst, int[] src, int offset, int length) {
        IntPointer host = new IntPointer(staging);
        int chunk = (int) (STAGING_BYTES / 4);
        for (int done = 0; done < length; done += chunk) {
            int n = Math.min(chunk, length - done);
            host.put(src, offset + done, n);
            upload(dst + 4L * done, 4L * n);
        }
    }

    @Override
    public synchronized void read(long src, float[] dst, int offset, int length) {
        FloatPointer host = new FloatPointer(staging);
        int chunk = (int) (STAGING_BYTES / 4);
        for (int done = 0; done < length; done += chunk) {
            int n = Math.min(chunk, length - done);
            download(src + 4L * done, 4L * n);
            host.get(dst, offset + done, n);
        }
    }

    @Override
    public synchronized void read(long src, double[] dst, int offset, int length) {
        DoublePointer host = new DoublePointer(staging);
        int chunk = (int) (STAGING_BYTES / 8);
        for (int done = 0; done < length; done += chunk) {
            int n = Math.min(chunk, length - done);
            download(src + 8L * done, 8L * n);
            host.get(dst, offset + done, n);
        }
    }

    /** Staging to device, then waits: the staging buffer is reused by the next chunk. */
    private void upload(long dst, long bytes) {
        makeCurrent();
        CudaCheck.runtime(cudart.cudaMemcpyAsync(DevicePointers.at(dst), staging, bytes, cudart.cudaMemcpyHostToDevice,
                stream), "cudaMemcpyAsync(host to device, " + bytes + " bytes)");
        sync();
    }

    private void download(long src, long bytes) {
        makeCurrent();
        CudaCheck.runtime(cudart.cudaMemcpyAsync(staging, DevicePointers.at(src), bytes, cudart.cudaMemcpyDeviceToHost,
                stream), "cudaMemcpyAsync(device to host, " + bytes + " bytes)");
        sync();
    }

    @Override
    public synchronized void run(List<Command> commands, boolean replayable) {
        if (commands.isEmpty()) {
            return;
        }
        makeCurrent();
        if (replayable && options.graphs()) {
            graphs.launch(commands, stream, this::enqueue);
        } else {
            enqueue(commands);
        }
    }

    private void enqueue(List<Command> commands) {
        for (Command c : commands) {
            if (c instanceof Command.Gemm g) {
                gemm(g);
            } else if (c instanceof Command.Launch l) {
                launch(l);
            } else if (c instanceof Command.Copy cp) {
                CudaCheck.runtime(cudart.cudaMemcpyAsync(DevicePointers.at(cp.dst()), DevicePointers.at(cp.src()),
                        cp.bytes(), cudart.cudaMemcpyDeviceToDevice, stream),
                        "cudaMemcpyAsync(device to device, " + cp.bytes() + " bytes)");
            } else if (c instanceof Command.Copy2D cp) {
                CudaCheck.runtime(cudart.cudaMemcpy2DAsync(DevicePointers.at(cp.dst()), cp.dstPitch(),
                        DevicePointers.at(cp.src()), cp.srcPitch(), cp.widthBytes(), cp.rows(),
                        cudart.cudaMemcpyDeviceToDevice, stream), "cudaMemcpy2DAsync");
            } else if (c instanceof Command.Zero z) {
                CudaCheck.runtime(cudart.cudaMemsetAsync(DevicePointers.at(z.dst()), 0, z.bytes(), stream),
                        "cudaMemsetAsync(" + z.bytes() + " bytes)");
            } else {
                throw new IllegalArgumentException("unknown command " + c);
            }
        }
    }

    /**
     * Row-major {@code C = op(A) op(B)} is column-major {@code C^T = op(B)^T op(A)^T}: the same memory, the
     * operands swapped, m and n exchanged.
     */
    private void gemm(Command.Gemm g) {
        int opB = g.transB() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
        int opA = g.transA() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
        String call = g.dtype() == DType.FLOAT32 ? "cublasSgemm" : "cublasDgemm";
        int status;
        if (g.dtype() == DType.FLOAT32) {
            alphaF.put(0, (float) g.alpha());
            betaF.put(0, (float) g.beta());
            status = cublas.cublasSgemm_v2(cublasHandle, opB, opA, g.n(), g.m(), g.k(), alphaF, fb.at(g.b()), g.ldb(),
                    fa.at(g.a()), g.lda(), betaF, fc.at(g.c()), g.ldc());
        } else {
            alphaD.put(0, g.alpha());
            betaD.put(0, g.beta());
            status = cublas.cublasDgemm_v2(cublasHandle, opB, opA, g.n(), g.m(), g.k(), alphaD, db.at(g.b()), g.ldb(),
                    da.at(g.a()), g.lda(), betaD, dc.at(g.c()), g.ldc());
        }
        CudaCheck.cublas(status, call + "(m=" + g.m() + ", n=" + g.n() + ", k=" + g.k() + ")");
    }

    private void launch(Command.Launch l) {
        List<KernelArg> args = l.args();
        if (args.size() > MAX_KERNEL_ARGS) {
            throw new IllegalArgumentException(l.kernel() + " has " + args.size() + " arguments, at most "
                    + MAX_KERNEL_ARGS + " supported");
        }
        for (int i = 0; i < args.size(); i++) {
            long slot = 8L * i;
            KernelArg arg = args.get(i);
            if (arg instanceof I32 v) {
                argValues.putInt(slot, v.value());
            } else if (arg instanceof I64 v) {
                argValues.putLong(slot, v.value());
            } else if (arg instanceof F32 v) {
                argValues.putFloat(slot, v.value());
            } else if (arg instanceof F64 v) {
                argValues.putDouble(slot, v.value());
            } else {
                argValues.putLong(slot, ((Ptr) arg).address());
            }
        }
        CudaCheck.driver(cudart.cuLaunchKernel(kernels.function(l.kernel()), l.gridX(), l.gridY(), 1, l.blockX(), 1, 1,
                0, stream, argSlots, (PointerPointer<?>) null), "cuLaunchKernel(" + l.kernel() + ")");
    }

    @Override
    public synchronized void synchronize() {
        makeCurrent();
        sync();
    }

    private void sync() {
        CudaCheck.runtime(cudart.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!stream.isNull()) {
            cudart.cudaStreamSynchronize(stream);
        }
        graphs.close();
        if (cudnnHandle != null) {
            cudnn.cudnnDestroy(cudnnHandle);
        }
        if (!cublasHandle.isNull()) {
            cublas.cublasDestroy_v2(cublasHandle);
        }
        if (!cublasWorkspace.isNull()) {
            cudart.cudaFree(cublasWorkspace);
        }
        if (!staging.isNull()) {
            cudart.cudaFreeHost(staging);
        }
        if (!stream.isNull()) {
            cudart.cudaStreamDestroy(stream);
        }
        argValues.close();
        argSlots.close();
        alphaF.close();
        betaF.close();
        alphaD.close();
        betaD.close();
    }
}
