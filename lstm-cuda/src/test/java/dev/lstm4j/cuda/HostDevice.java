package dev.lstm4j.cuda;

import dev.lstm4j.api.DType;
import dev.lstm4j.cuda.KernelArg.F32;
import dev.lstm4j.cuda.KernelArg.F64;
import dev.lstm4j.cuda.KernelArg.I32;
import dev.lstm4j.cuda.KernelArg.I64;
import dev.lstm4j.cuda.KernelArg.Ptr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link DeviceContext} that interprets the CUDA backend's commands on the host, so that the backend's planning
 * (shapes, offsets, strides, step order, what the graphs would capture) runs through the conformance suites on
 * machines without a GPU. GEMMs follow the row-major contract of {@link Command.Gemm}; kernels follow the C
 * sources' documented semantics, one (block, thread) at a time. Every access is bounds-checked against its
 * allocation, so an offset that strays outside a buffer fails the test instead of reading a neighbour.
 *
 * <p>It also records every command list submitted as replayable, for tests of the graph-cache keys.
 */
final class HostDevice implements DeviceContext {
    private static final long GAP = 1 << 12;   // unmapped bytes between blocks
    private static final long CAPACITY = 1L << 30;   // this "device" has 1 GiB

    private final TreeMap<Long, ByteBuffer> blocks = new TreeMap<>();
    private final List<List<Command>> replayable = new ArrayList<>();
    private long next = 1L << 32;
    private boolean closed;

    @Override
    public String description() {
        return "host interpreter of the cuda backend's commands";
    }

    @Override
    public CudaOptions options() {
        return CudaOptions.DEFAULT;
    }

    @Override
    public Map<String, String> properties() {
        return Map.of("device", "host interpreter");
    }

    @Override
    public long malloc(long bytes) {
        requireOpen();
        if (bytes > CAPACITY - used()) {
            throw new CudaException("cudaMalloc(" + bytes + " bytes)", 2, "cudaErrorMemoryAllocation",
                    "out of memory");
        }
        long address = next;
        // cudaMalloc's memory holds whatever was there; all-ones bytes are NaN in float and double, so a kernel
        // or command list that reads memory before writing it shows up as NaN here instead of as a lucky zero
        byte[] poison = new byte[Math.toIntExact(bytes)];
        java.util.Arrays.fill(poison, (byte) 0xFF);
        blocks.put(address, ByteBuffer.wrap(poison).order(ByteOrder.LITTLE_ENDIAN));
        next += bytes + GAP;
        return address;
    }

    @Override
    public void free(long address) {
        if (blocks.remove(address) == null) {
            throw new IllegalArgumentException("free of 0x" + Long.toHexString(address) + ", not a block");
        }
    }

    private long used() {
        return blocks.values().stream().mapToLong(ByteBuffer::capacity).sum();
    }

    /** Blocks still allocated (freed by the backend's cache only when it is trimmed). */
    int blockCount() {
        return blocks.size();
    }

    boolean isClosed() {
        return closed;
    }

    List<List<Command>> replayableLists() {
        return replayable;
    }

    @Override
    public void write(long dst, float[] src, int offset, int length) {
        for (int i = 0; i < length; i++) {
            putF(dst + 4L * i, src[offset + i]);
        }
    }

    @Override
    public void write(long dst, double[] src, int offset, int length) {
        for (int i = 0; i < length; i++) {
            putD(dst + 8L * i, src[offset + i]);
        }
    }

    @Override
    public void write(long dst, int[] src, int offset, int length) {
        for (int i = 0; i < length; i++) {
            slot(dst + 4L * i, 4).putInt(index(dst + 4L * i), src[offset + i]);
        }
    }

    @Override
    public void read(long src, float[] dst, int offset, int length) {
        for (int i = 0; i < length; i++) {
            dst[offset + i] = getF(src + 4L * i);
        }
    }

    @Override
    public void read(long src, double[] dst, int offset, int length) {
        for (int i = 0; i < length; i++) {
            dst[offset + i] = getD(src + 8L * i);
        }
    }

    @Override
    public void run(List<Command> commands, boolean replayable) {
        requireOpen();
        if (replayable) {
            this.replayable.add(List.copyOf(commands));
        }
        for (Command c : commands) {
            if (c instanceof Command.Gemm g) {
                gemm(g);
            } else if (c instanceof Command.Launch l) {
                new HostKernels(this, l).run();
            } else if (c instanceof Command.Copy cp) {
                copyBytes(cp.dst(), cp.src(), cp.bytes());
            } else if (c instanceof Command.Copy2D cp) {
                for (long r = 0; r < cp.rows(); r++) {
                    copyBytes(cp.dst() + r * cp.dstPitch(), cp.src() + r * cp.srcPitch(), cp.widthBytes());
                }
            } else if (c instanceof Command.Zero z) {
                for (long i = 0; i < z.bytes(); i++) {
                    slot(z.dst() + i, 1).put(index(z.dst() + i), (byte) 0);
                }
            }
        }
    }

    private void copyBytes(long dst, long src, long bytes) {
        byte[] tmp = new byte[Math.toIntExact(bytes)];
        for (int i = 0; i < tmp.length; i++) {
            tmp[i] = slot(src + i, 1).get(index(src + i));
        }
        for (int i = 0; i < tmp.length; i++) {
            slot(dst + i, 1).put(index(dst + i), tmp[i]);
        }
    }

    private void gemm(Command.Gemm g) {
        int es = g.dtype().byteSize();
        double[] result = new double[g.m() * g.n()];
        for (int i = 0; i < g.m(); i++) {
            for (int j = 0; j < g.n(); j++) {
                double sum = 0;
                for (int p = 0; p < g.k(); p++) {
                    long a = g.transA() ? (long) p * g.lda() + i : (long) i * g.lda() + p;
                    long b = g.transB() ? (long) j * g.ldb() + p : (long) p * g.ldb() + j;
                    sum += get(g.dtype(), g.a() + a * es) * get(g.dtype(), g.b() + b * es);
                }
                long c = g.c() + ((long) i * g.ldc() + j) * es;
                result[i * g.n() + j] = g.alpha() * sum + (g.beta() == 0 ? 0 : g.beta() * get(g.dtype(), c));
            }
        }
        for (int i = 0; i < g.m(); i++) {
            for (int j = 0; j < g.n(); j++) {
                put(g.dtype(), g.c() + ((long) i * g.ldc() + j) * es, result[i * g.n() + j]);
            }
        }
    }

    double get(DType dtype, long address) {
        return dtype == DType.FLOAT32 ? getF(address) : getD(address);
    }

    void put(DType dtype, long address, double value) {
        if (dtype == DType.FLOAT32) {
            putF(address, (float) value);
        } else {
            putD(address, value);
        }
    }

    int getInt(long address) {
        return slot(address, 4).getInt(index(address));
    }

    private float getF(long address) {
        return slot(address, 4).getFloat(index(address));
    }

    private double getD(long address) {
        return slot(address, 8).getDouble(index(address));
    }

    private void putF(long address, float v) {
        slot(address, 4).putFloat(index(address), v);
    }

    private void putD(long address, double v) {
        slot(address, 8).putDouble(index(address), v);
    }

    private int index(long address) {
        return (int) (address - blocks.floorKey(address));
    }

    private ByteBuffer slot(long address, int bytes) {
        Map.Entry<Long, ByteBuffer> e = blocks.floorEntry(address);
        if (e == null || address + bytes > e.getKey() + e.getValue().capacity()) {
            throw new IndexOutOfBoundsException("device access of " + bytes + " bytes at 0x"
                    + Long.toHexString(address) + " is outside every allocation");
        }
        return e.getValue();
    }

    @Override
    public void synchronize() {
    }

    @Override
    public void close() {
        if (!blocks.isEmpty()) {
            throw new IllegalStateException("context closed with " + blocks.size() + " blocks still allocated");
        }
        closed = true;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("host device is closed");
        }
    }

    /** Typed access to a launch's arguments. */
    static int i32(List<KernelArg> args, int i) {
        return ((I32) args.get(i)).value();
    }

    static long i64(List<KernelArg> args, int i) {
        return ((I64) args.get(i)).value();
    }

    static long ptr(List<KernelArg> args, int i) {
        return ((Ptr) args.get(i)).address();
    }

    static double real(List<KernelArg> args, int i) {
        KernelArg a = args.get(i);
        return a instanceof F32 f ? f.value() : ((F64) a).value();
    }
}
