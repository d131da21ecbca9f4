package dev.lstm4j.cuda;

import dev.lstm4j.api.DType;

import java.util.ArrayList;
import java.util.List;

/**
 * Device buffers of one call, freed together at the end (or handed on to a training reserve with
 * {@link #release()}). Freeing right after queuing the work is safe: the buffers go back to the backend's
 * cache, and anything that reuses them is queued behind that work on the same stream.
 */
final class Scratch implements AutoCloseable {
    private final CudaBackend backend;
    private final DType dtype;
    private final List<DeviceBuffer> buffers = new ArrayList<>();

    Scratch(CudaBackend backend, DType dtype) {
        this.backend = backend;
        this.dtype = dtype;
    }

    /** The address of a new buffer of {@code elements} elements of the dtype. */
    long allocate(long elements, String what) {
        return allocateBuffer(elements, what).address();
    }

    /** The address of a new buffer of {@code bytes} bytes (library workspaces sized in bytes). */
    long allocateBytes(long bytes, String what) {
        DeviceBuffer b = backend.buffer(bytes, what);
        buffers.add(b);
        return b.address();
    }

    /** A new buffer of {@code elements} elements of the dtype. */
    DeviceBuffer allocateBuffer(long elements, String what) {
        DeviceBuffer b = backend.buffer(elements * dtype.byteSize(), what);
        buffers.add(b);
        return b;
    }

    /** Copies {@code lengths} to a new device buffer of ints and returns its address. */
    long upload(int[] lengths, String what) {
        DeviceBuffer b = backend.buffer(4L * lengths.length, what);
        buffers.add(b);
        backend.context().write(b.address(), lengths, 0, lengths.length);
        return b.address();
    }

    /** Hands every buffer to the caller, who then owns them; this scratch becomes empty. */
    List<DeviceBuffer> release() {
        List<DeviceBuffer> all = List.copyOf(buffers);
        buffers.clear();
        return all;
    }

    @Override
    public void close() {
        buffers.forEach(DeviceBuffer::close);
        buffers.clear();
    }
}
