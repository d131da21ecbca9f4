package dev.lstm4j.api.io;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Shapes;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.spi.AbstractTensor;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** Test double: tensors on the Java heap, so parameter files are tested without a native backend. */
final class HeapBackend implements Backend {

    /** New parameters for {@code spec} in {@code dtype}, filled reproducibly from {@code seed}. */
    Parameters parameters(RnnSpec spec, DType dtype, long seed) {
        ParameterLayout layout = new ParameterLayout(spec);
        Parameters p = new Parameters(layout, allocate(dtype, layout.totalSize()));
        p.initUniform(seed);
        return p;
    }

    @Override
    public String name() {
        return "heap";
    }

    @Override
    public String description() {
        return "Java heap test double";
    }

    @Override
    public Set<DType> supportedDTypes() {
        return EnumSet.allOf(DType.class);
    }

    @Override
    public Tensor allocate(DType dtype, long... shape) {
        return new HeapTensor(this, dtype, shape);
    }

    @Override
    public Rnn rnn(RnnSpec spec, DType dtype) {
        throw new UnsupportedOperationException("the heap test backend has no recurrent kernels");
    }

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        throw new UnsupportedOperationException("the heap test backend has no GEMM");
    }

    @Override
    public long liveBytes() {
        return 0;
    }

    @Override
    public void close() {
    }

    private static final class HeapTensor extends AbstractTensor {
        private final float[] floats;    // [size] when FLOAT32, else null
        private final double[] doubles;  // [size] when FLOAT64, else null

        HeapTensor(Backend backend, DType dtype, long[] shape) {
            super(backend, dtype, shape);
            int n = Math.toIntExact(Shapes.size(shape));
            floats = dtype == DType.FLOAT32 ? new float[n] : null;
            doubles = dtype == DType.FLOAT64 ? new double[n] : null;
        }

        private HeapTensor(HeapTensor owner, long[] shape) {
            super(owner, shape);
            floats = owner.floats;
            doubles = owner.doubles;
        }

        @Override
        protected HeapTensor view(long[] shape) {
            return new HeapTensor(this, shape);
        }

        @Override
        protected void writeFloats(long offset, float[] src, int srcOffset, int length) {
            System.arraycopy(src, srcOffset, floats, (int) offset, length);
        }

        @Override
        protected void readFloats(long offset, float[] dst, int dstOffset, int length) {
            System.arraycopy(floats, (int) offset, dst, dstOffset, length);
        }

        @Override
        protected void writeDoubles(long offset, double[] src, int srcOffset, int length) {
            System.arraycopy(src, srcOffset, doubles, (int) offset, length);
        }

        @Override
        protected void readDoubles(long offset, double[] dst, int dstOffset, int length) {
            System.arraycopy(doubles, (int) offset, dst, dstOffset, length);
        }

        @Override
        protected void zero() {
            if (floats != null) {
                Arrays.fill(floats, 0f);
            } else {
                Arrays.fill(doubles, 0.0);
            }
        }

        @Override
        protected void release() {
            // heap memory: the GC owns it
        }
    }
}
