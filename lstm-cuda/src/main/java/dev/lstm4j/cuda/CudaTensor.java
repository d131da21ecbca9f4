package dev.lstm4j.cuda;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.spi.AbstractTensor;

import java.util.List;

/** A tensor in device memory owned by a {@link CudaBackend}; host copies go through the backend's stream. */
final class CudaTensor extends AbstractTensor {
    private final CudaBackend backend;
    private final DeviceBuffer buffer;

    CudaTensor(CudaBackend backend, DType dtype, DeviceBuffer buffer, long[] shape) {
        super(backend, dtype, shape);
        this.backend = backend;
        this.buffer = buffer;
    }

    private CudaTensor(CudaTensor owner, long[] shape) {
        super(owner, shape);
        this.backend = owner.backend;
        this.buffer = owner.buffer;
    }

    @Override
    protected CudaTensor view(long[] shape) {
        return new CudaTensor(this, shape);
    }

    /** The device address of element {@code element}; checks that the tensor is open. */
    long address(long element) {
        requireOpen();
        return buffer.at(element * dtype().byteSize());
    }

    /** The device address of the first element; checks that the tensor is open. */
    long address() {
        return address(0);
    }

    @Override
    protected void writeFloats(long offset, float[] src, int srcOffset, int length) {
        backend.context().write(buffer.at(offset * 4), src, srcOffset, length);
    }

    @Override
    protected void readFloats(long offset, float[] dst, int dstOffset, int length) {
        backend.context().read(buffer.at(offset * 4), dst, dstOffset, length);
    }

    @Override
    protected void writeDoubles(long offset, double[] src, int srcOffset, int length) {
        backend.context().write(buffer.at(offset * 8), src, srcOffset, length);
    }

    @Override
    protected void readDoubles(long offset, double[] dst, int dstOffset, int length) {
        backend.context().read(buffer.at(offset * 8), dst, dstOffset, length);
    }

    @Override
    protected void zero() {
        backend.run(List.of(new Command.Zero(buffer.address(), size() * dtype().byteSize())), false);
    }

    @Override
    protected void release() {
        buffer.close();
    }
}
