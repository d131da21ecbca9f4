package dev.lstm4j.cpu;

import dev.lstm4j.api.DType;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * One owned off-heap allocation of floats or doubles, counted by its backend. Freed
 * exactly once by {@link #close()}; the GC is never relied on.
 */
final class NativeBuffer implements AutoCloseable {
    private final DType dtype;
    private final long elements;
    private final HostMemory memory;
    private Pointer pointer;   // FloatPointer or DoublePointer; null once closed

    private NativeBuffer(DType dtype, long elements, HostMemory memory, Pointer pointer) {
        this.dtype = dtype;
        this.elements = elements;
        this.memory = memory;
        this.pointer = pointer;
    }

    /**
     * Allocates {@code elements} elements, zeroed when {@code zeroed}; kernels that overwrite every element
     * before reading it skip the zeroing, which costs a full pass over memory.
     *
     * @throws NativeMemoryException when the memory cannot be had; nothing is left allocated
     */
    static NativeBuffer allocate(DType dtype, long elements, boolean zeroed, HostMemory memory, String what) {
        if (elements < 0) {
            throw new IllegalArgumentException("negative element count " + elements + " for " + what);
        }
        long count = Math.max(elements, 1);  // malloc(0) may return null; keep one element instead
        if (count > Long.MAX_VALUE / dtype.byteSize()) {
            throw new NativeMemoryException("cannot allocate " + what + ": " + elements + " elements of " + dtype
                    + " exceed the address space", null);
        }
        long bytes = count * dtype.byteSize();
        Pointer p = memory.take(dtype, count);
        if (p == null) {
            p = fresh(dtype, count);
        }
        if (p == null || p.isNull()) {
            memory.trim();   // the cached blocks may be what stands in the way
            p = fresh(dtype, count);
        }
        if (p == null || p.isNull()) {
            throw new NativeMemoryException("cannot allocate " + bytes + " bytes of native memory for " + what
                    + " (" + elements + " x " + dtype + "); JavaCPP's cap is " + Pointer.maxBytes()
                    + " bytes (raise it with -Dorg.bytedeco.javacpp.maxBytes) and " + Pointer.totalBytes()
                    + " are in use", null);
        }
        if (zeroed) {
            Pointer.memset(p, 0, bytes);
        }
        memory.allocated(bytes);
        return new NativeBuffer(dtype, elements, memory, p);
    }

    /** A newly allocated block, or null when malloc or JavaCPP's cap refused it. */
    private static Pointer fresh(DType dtype, long count) {
        try {
            return dtype == DType.FLOAT32 ? new FloatPointer(count) : new DoublePointer(count);
        } catch (OutOfMemoryError e) {  // JavaCPP reports malloc failure and its own cap this way
            return null;
        }
    }

    DType dtype() {
        return dtype;
    }

    long elements() {
        return elements;
    }

    long bytes() {
        return Math.max(elements, 1) * dtype.byteSize();
    }

    /** Base address; only valid while open. */
    long address() {
        return live().address();
    }

    FloatPointer floats() {
        return (FloatPointer) live();
    }

    DoublePointer doubles() {
        return (DoublePointer) live();
    }

    /** Zeroes {@code count} elements from {@code offset}. */
    void zero(long offset, long count) {
        if (offset < 0 || count < 0 || offset > elements - count) {
            throw new IndexOutOfBoundsException("zero range [" + offset + ", +" + count + ") outside " + elements);
        }
        Pointer.memset(new Views.Bytes().at(address() + offset * dtype.byteSize()), 0, count * dtype.byteSize());
    }

    /** Copies {@code count} elements between buffers of the same dtype, any size (one memcpy). */
    static void copy(NativeBuffer src, long srcOffset, NativeBuffer dst, long dstOffset, long count) {
        if (src.dtype != dst.dtype) {
            throw new IllegalArgumentException("copy from " + src.dtype + " to " + dst.dtype);
        }
        if (count < 0 || srcOffset < 0 || dstOffset < 0 || srcOffset > src.elements - count
                || dstOffset > dst.elements - count) {
            throw new IndexOutOfBoundsException("copy of " + count + " elements from " + srcOffset + " of "
                    + src.elements + " to " + dstOffset + " of " + dst.elements);
        }
        int size = src.dtype.byteSize();
        Pointer.memcpy(new Views.Bytes().at(dst.address() + dstOffset * size),
                new Views.Bytes().at(src.address() + srcOffset * size), count * size);
    }

    boolean isClosed() {
        return pointer == null;
    }

    private Pointer live() {
        if (pointer == null) {
            throw new IllegalStateException("native buffer of " + elements + " x " + dtype + " is closed");
        }
        return pointer;
    }

    @Override
    public void close() {
        if (pointer != null) {
            long bytes = bytes();
            if (!memory.keep(dtype, Math.max(elements, 1), pointer)) {
                pointer.close();
            }
            pointer = null;
            memory.freed(bytes);
        }
    }
}
