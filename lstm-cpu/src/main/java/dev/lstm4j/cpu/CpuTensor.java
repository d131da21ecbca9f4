package dev.lstm4j.cpu;

import dev.lstm4j.api.spi.AbstractTensor;

/** A tensor in off-heap memory owned by a {@link CpuBackend}. */
final class CpuTensor extends AbstractTensor {
    private final NativeBuffer buffer;

    CpuTensor(CpuBackend backend, NativeBuffer buffer, long[] shape) {
        super(backend, buffer.dtype(), shape);
        this.buffer = buffer;
    }

    private CpuTensor(CpuTensor owner, long[] shape) {
        super(owner, shape);
        this.buffer = owner.buffer;
    }

    @Override
    protected CpuTensor view(long[] shape) {
        return new CpuTensor(this, shape);
    }

    /** The memory, for kernels; checks that the tensor is open. */
    NativeBuffer buffer() {
        requireOpen();
        return buffer;
    }

    @Override
    protected void writeFloats(long offset, float[] src, int srcOffset, int length) {
        new Views.Floats().at(buffer, offset).put(src, srcOffset, length);
    }

    @Override
    protected void readFloats(long offset, float[] dst, int dstOffset, int length) {
        new Views.Floats().at(buffer, offset).get(dst, dstOffset, length);
    }

    @Override
    protected void writeDoubles(long offset, double[] src, int srcOffset, int length) {
        new Views.Doubles().at(buffer, offset).put(src, srcOffset, length);
    }

    @Override
    protected void readDoubles(long offset, double[] dst, int dstOffset, int length) {
        new Views.Doubles().at(buffer, offset).get(dst, dstOffset, length);
    }

    @Override
    protected void zero() {
        buffer.zero(0, buffer.elements());
    }

    @Override
    protected void release() {
        buffer.close();
    }
}
