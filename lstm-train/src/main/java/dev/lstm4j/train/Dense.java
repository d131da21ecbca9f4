package dev.lstm4j.train;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Closeables;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;

import dev.lstm4j.api.io.NdArray;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A linear layer {@code y = x W^T + b} with PyTorch's {@code nn.Linear} layout ({@code weight [out, in]},
 * {@code bias [out]}) and initialisation (both uniform in {@code ±1/sqrt(in)}). Works on matrices
 * {@code [N, in]}; a sequence {@code [T, B, in]} goes in as its {@link Tensor#reshape reshape} to
 * {@code [T*B, in]}. Forward and backward are GEMMs on the backend, so nothing leaves the device.
 */
public final class Dense implements AutoCloseable {
    private final Backend backend;
    private final int in;
    private final int out;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor weightGrad;
    private final Tensor biasGrad;
    private final List<Parameter> parameters;

    /** A layer named {@code name} (its parameters are {@code name.weight} and {@code name.bias}). */
    public Dense(Backend backend, DType dtype, String name, int in, int out, long seed) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("dense layer " + name + " needs in >= 1 and out >= 1, got in="
                    + in + ", out=" + out);
        }
        this.backend = backend;
        this.in = in;
        this.out = out;
        Tensor[] owned = new Tensor[4];
        try {
            owned[0] = backend.allocate(dtype, out, in);
            owned[1] = backend.allocate(dtype, out);
            owned[2] = backend.allocate(dtype, out, in);
            owned[3] = backend.allocate(dtype, out);
        } catch (RuntimeException e) {
            Closeables.closeAll(owned);
            throw e;
        }
        weight = owned[0];
        bias = owned[1];
        weightGrad = owned[2];
        biasGrad = owned[3];
        parameters = List.of(new Parameter(name + ".weight", weight, weightGrad),
                new Parameter(name + ".bias", bias, biasGrad));
        initUniform(seed);
    }

    private void initUniform(long seed) {
        double bound = 1.0 / Math.sqrt(in);
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = new double[out * in];
        double[] b = new double[out];
        for (int k = 0; k < w.length; k++) {
            w[k] = random.nextDouble(-bound, bound);
        }
        for (int k = 0; k < b.length; k++) {
            b[k] = random.nextDouble(-bound, bound);
        }
        weight.copyFrom(w);
        bias.copyFrom(b);
    }

    public int inputSize() {
        return in;
    }

    public int outputSize() {
        return out;
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    /** {@code y = x W^T + b} for {@code x [N, in]}; the caller closes the returned {@code [N, out]}. */
    public Tensor forward(Tensor x) {
        long rows = requireInput(x);
        Tensor y = backend.empty(weight.dtype(), rows, out);
        try {
            backend.gemm(false, true, 1, x, weight, 0, y);
            backend.addRowVector(y, bias);
            return y;
        } catch (RuntimeException e) {
            y.close();
            throw e;
        }
    }

    /**
     * Adds {@code dy^T x} to the weight gradient and the row sums of {@code dy} to the bias gradient, and
     * returns {@code dx = dy W} (which the caller closes), for the {@code x} of the matching forward.
     */
    public Tensor backward(Tensor x, Tensor dy) {
        long rows = requireInput(x);
        if (dy.rank() != 2 || dy.dim(0) != rows || dy.dim(1) != out) {
            throw new IllegalArgumentException("dense backward: dy must be [" + rows + ", " + out + "], got " + dy);
        }
        backend.gemm(true, false, 1, dy, x, 1, weightGrad);
        backend.sumRows(dy, biasGrad, 1);
        Tensor dx = backend.empty(weight.dtype(), rows, in);
        try {
            backend.gemm(false, false, 1, dy, weight, 0, dx);
            return dx;
        } catch (RuntimeException e) {
            dx.close();
            throw e;
        }
    }

    private long requireInput(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != in) {
            throw new IllegalArgumentException("dense layer expects x of [N, " + in + "], got " + x);
        }
        return x.dim(0);
    }

    /** Adds {@code name.weight} and {@code name.bias} as host copies. */
    public void saveTo(Map<String, NdArray> out) {
        for (Parameter p : parameters) {
            out.put(p.name(), StateDict.toHost(p.value()));
        }
    }

    /** Loads {@code name.weight} and {@code name.bias}, which must be present with this layer's shapes. */
    public void loadFrom(Map<String, NdArray> in) {
        for (Parameter p : parameters) {
            StateDict.copyInto(in, p.name(), p.value());
        }
    }

    @Override
    public void close() {
        Closeables.closeAll(weight, bias, weightGrad, biasGrad);
    }
}
