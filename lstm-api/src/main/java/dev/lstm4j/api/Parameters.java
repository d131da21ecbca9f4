package dev.lstm4j.api;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * All parameters (or all parameter gradients) of one stack in one packed backend tensor, with named
 * views in PyTorch's names and layouts (see {@link ParameterLayout}).
 *
 * <p>Owns its tensor: closing the parameters frees it.
 */
public final class Parameters implements AutoCloseable {
    private final RnnSpec spec;
    private final ParameterLayout layout;
    private final Tensor packed;   // [totalSize] in ParameterLayout order

    /**
     * Wraps a packed tensor; normally called by a backend's {@link Rnn#newParameters()}. The tensor must be
     * one-dimensional with {@code layout.totalSize()} elements; ownership passes to the new object.
     */
    public Parameters(ParameterLayout layout, Tensor packed) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.spec = layout.spec();
        this.packed = Objects.requireNonNull(packed, "packed");
        if (packed.rank() != 1 || packed.size() != layout.totalSize()) {
            throw new IllegalArgumentException("packed parameter tensor must have shape [" + layout.totalSize()
                    + "], got " + Shapes.format(packed.shape()));
        }
    }

    public RnnSpec spec() {
        return spec;
    }

    public ParameterLayout layout() {
        return layout;
    }

    public DType dtype() {
        return packed.dtype();
    }

    public Backend backend() {
        return packed.backend();
    }

    /** The packed buffer itself, for backends and bulk copies. Do not close it; close the parameters. */
    public Tensor packed() {
        return packed;
    }

    /** Parameter names in PyTorch's {@code state_dict} order. */
    public List<String> names() {
        return layout.names();
    }

    /** Shape of the named parameter. */
    public long[] shape(String name) {
        return layout.entry(name).shape();
    }

    /** A copy of the named parameter, row-major. */
    public float[] readFloats(String name) {
        ParameterLayout.Entry e = layout.entry(name);
        float[] out = new float[(int) e.size()];
        packed.copyTo(e.offset(), out, 0, out.length);
        return out;
    }

    /** A copy of the named parameter, row-major. */
    public double[] readDoubles(String name) {
        ParameterLayout.Entry e = layout.entry(name);
        double[] out = new double[(int) e.size()];
        packed.copyTo(e.offset(), out, 0, out.length);
        return out;
    }

    /** Overwrites the named parameter; {@code values} must have exactly its number of elements. */
    public void write(String name, float[] values) {
        ParameterLayout.Entry e = requireLength(name, values.length);
        packed.copyFrom(e.offset(), values, 0, values.length);
    }

    /** Overwrites the named parameter; {@code values} must have exactly its number of elements. */
    public void write(String name, double[] values) {
        ParameterLayout.Entry e = requireLength(name, values.length);
        packed.copyFrom(e.offset(), values, 0, values.length);
    }

    private ParameterLayout.Entry requireLength(String name, int length) {
        ParameterLayout.Entry e = layout.entry(name);
        if (length != e.size()) {
            throw new IllegalArgumentException("parameter " + name + " has shape " + Shapes.format(e.shape())
                    + " (" + e.size() + " elements), got " + length + " values");
        }
        return e;
    }

    /**
     * Fills every parameter with values drawn uniformly from {@code [-1/sqrt(H), 1/sqrt(H))}, PyTorch's
     * default for recurrent layers. The values depend only on {@code seed} and the spec, not on the
     * backend or dtype (FLOAT32 holds the FLOAT64 draws rounded).
     */
    public void initUniform(long seed) {
        double bound = 1.0 / Math.sqrt(spec.hiddenSize());
        SplittableRandom random = new SplittableRandom(seed);
        double[] chunk = new double[(int) Math.min(layout.totalSize(), 1 << 16)];
        for (long done = 0; done < layout.totalSize(); done += chunk.length) {
            int n = (int) Math.min(chunk.length, layout.totalSize() - done);
            for (int k = 0; k < n; k++) {
                chunk[k] = random.nextDouble(-bound, bound);
            }
            packed.copyFrom(done, chunk, 0, n);
        }
    }

    /** Sets every parameter to zero, e.g. before accumulating gradients. */
    public void zero() {
        packed.fillZero();
    }

    /** Copies every parameter from {@code other}, which must describe the same stack (dtypes may differ). */
    public void copyFrom(Parameters other) {
        if (!other.spec.equals(spec)) {
            throw new IllegalArgumentException("cannot copy parameters of " + other.spec + " into " + spec);
        }
        double[] chunk = new double[(int) Math.min(layout.totalSize(), 1 << 16)];
        for (long done = 0; done < layout.totalSize(); done += chunk.length) {
            int n = (int) Math.min(chunk.length, layout.totalSize() - done);
            other.packed.copyTo(done, chunk, 0, n);
            packed.copyFrom(done, chunk, 0, n);
        }
    }

    public boolean isClosed() {
        return packed.isClosed();
    }

    @Override
    public void close() {
        packed.close();
    }
}
