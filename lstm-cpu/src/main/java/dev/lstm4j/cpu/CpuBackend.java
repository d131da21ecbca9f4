package dev.lstm4j.cpu;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.CellType;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Shapes;
import dev.lstm4j.api.Tensor;

import java.util.EnumSet;
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

    private final MemoryCounter memory = new MemoryCounter();

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

    /** A tensor whose contents are undefined, for results that a kernel overwrites completely. */
    Tensor allocateUninitialised(DType dtype, long... shape) {
        return new CpuTensor(this, NativeBuffer.allocate(dtype, Shapes.size(shape), false, memory, "tensor " + dtype
                + Shapes.format(shape)), shape);
    }

    @Override
    public Rnn rnn(RnnSpec spec, DType dtype) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(dtype, "dtype");
        spec.cell().requireImplemented();
        if (spec.cell() != CellType.LSTM) {
            throw new UnsupportedOperationException("cpu backend does not implement " + spec.cell() + " yet");
        }
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

    @Override
    public long liveBytes() {
        return memory.live();
    }

    @Override
    public void close() {
        // Nothing is cached at backend level: tensors, reserves and each Rnn free their own memory.
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
