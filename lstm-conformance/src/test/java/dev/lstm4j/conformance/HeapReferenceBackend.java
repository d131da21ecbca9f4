package dev.lstm4j.conformance;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.InputGradients;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Shapes;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.TrainingForward;
import dev.lstm4j.api.TrainingReserve;
import dev.lstm4j.api.spi.AbstractTensor;
import dev.lstm4j.api.spi.GemmCheck;
import dev.lstm4j.api.spi.RnnCallCheck;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend on the Java heap that computes with {@link Fp64Reference} itself: it lets this module run its
 * own suites, which proves the suites' mechanics (shapes, call order, memory accounting, exceptions)
 * before any real backend exists. It says nothing about the reference's correctness; the reference's own
 * tests do that.
 */
final class HeapReferenceBackend implements Backend {
    /** Allocations above this fail, standing in for a machine's memory. */
    private static final long CAP_BYTES = 1L << 30;

    private final AtomicLong live = new AtomicLong();

    @Override
    public String name() {
        return "heap-reference";
    }

    @Override
    public String description() {
        return "heap-reference: Fp64Reference on the Java heap, for testing the suites";
    }

    @Override
    public Set<DType> supportedDTypes() {
        return EnumSet.allOf(DType.class);
    }

    @Override
    public Tensor allocate(DType dtype, long... shape) {
        long size = Shapes.size(shape);
        if (size > CAP_BYTES / dtype.byteSize()) {
            throw new IllegalStateException("cannot allocate " + dtype + Shapes.format(shape) + ": needs more than "
                    + CAP_BYTES + " bytes, the heap reference backend's cap");
        }
        return new HeapTensor(this, dtype, shape);
    }

    @Override
    public Rnn rnn(RnnSpec spec, DType dtype) {
        if (!supportedDTypes().contains(dtype)) {
            throw new UnsupportedOperationException(dtype + " is not supported");
        }
        return new HeapRnn(spec, dtype);
    }

    /** The definition in double, rounded to the dtype once when stored; {@code beta == 0} never reads C. */
    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        GemmCheck.Sizes sizes = GemmCheck.check(this, transA, transB, alpha, a, b, beta, c);
        int m = (int) sizes.m();   // heap tensors hold at most an int of elements
        int n = (int) sizes.n();
        int k = (int) sizes.k();
        double[] av = a.toDoubleArray();   // [m, k], or [k, m] when transA
        double[] bv = b.toDoubleArray();   // [k, n], or [n, k] when transB
        double[] cv = c.toDoubleArray();   // [m, n]
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (transA ? av[p * m + i] : av[i * k + p]) * (transB ? bv[j * k + p] : bv[p * n + j]);
                }
                cv[i * n + j] = alpha * sum + (beta == 0 ? 0 : beta * cv[i * n + j]);
            }
        }
        c.copyFrom(cv);
    }

    @Override
    public long liveBytes() {
        return live.get();
    }

    @Override
    public void close() {
    }

    private static final class HeapTensor extends AbstractTensor {
        private final HeapReferenceBackend owner;
        private final double[] data;   // values already rounded to the dtype

        HeapTensor(HeapReferenceBackend owner, DType dtype, long[] shape) {
            super(owner, dtype, shape);
            this.owner = owner;
            this.data = new double[Math.toIntExact(size())];
            owner.live.addAndGet(size() * dtype.byteSize());
        }

        private HeapTensor(HeapTensor memory, long[] shape) {
            super(memory, shape);
            this.owner = memory.owner;
            this.data = memory.data;
        }

        @Override
        protected HeapTensor view(long[] shape) {
            return new HeapTensor(this, shape);
        }

        @Override
        protected void writeFloats(long offset, float[] src, int srcOffset, int length) {
            for (int k = 0; k < length; k++) {
                data[(int) offset + k] = src[srcOffset + k];
            }
        }

        @Override
        protected void readFloats(long offset, float[] dst, int dstOffset, int length) {
            for (int k = 0; k < length; k++) {
                dst[dstOffset + k] = (float) data[(int) offset + k];
            }
        }

        @Override
        protected void writeDoubles(long offset, double[] src, int srcOffset, int length) {
            System.arraycopy(src, srcOffset, data, (int) offset, length);
        }

        @Override
        protected void readDoubles(long offset, double[] dst, int dstOffset, int length) {
            System.arraycopy(data, (int) offset, dst, dstOffset, length);
        }

        @Override
        protected void zero() {
            java.util.Arrays.fill(data, 0.0);
        }

        @Override
        protected void release() {
            owner.live.addAndGet(-size() * dtype().byteSize());
        }
    }

    private final class HeapRnn implements Rnn {
        private final RnnSpec spec;
        private final DType dtype;
        private final RnnCallCheck check;

        HeapRnn(RnnSpec spec, DType dtype) {
            this.spec = spec;
            this.dtype = dtype;
            this.check = new RnnCallCheck(spec, dtype, HeapReferenceBackend.this);
        }

        @Override
        public RnnSpec spec() {
            return spec;
        }

        @Override
        public DType dtype() {
            return dtype;
        }

        @Override
        public Backend backend() {
            return HeapReferenceBackend.this;
        }

        @Override
        public Parameters newParameters() {
            ParameterLayout layout = new ParameterLayout(spec);
            return new Parameters(layout, allocate(dtype, layout.totalSize()));
        }

        @Override
        public RnnOutputs forwardInference(Parameters params, RnnInputs inputs) {
            RnnCallCheck.BatchShape shape = check.forward(params, inputs);
            return outputs(run(params, inputs, shape, false), inputs, shape);
        }

        @Override
        public TrainingForward forwardTraining(Parameters params, RnnInputs inputs) {
            RnnCallCheck.BatchShape shape = check.forward(params, inputs);
            check.training(inputs);
            ReferenceForward fwd = run(params, inputs, shape, true);
            return new TrainingForward(outputs(fwd, inputs, shape), new HeapReserve(fwd, params, inputs, shape));
        }

        /** The reference pass; dropout (with the inputs' seed) in training only, as the API defines. */
        private ReferenceForward run(Parameters params, RnnInputs in, RnnCallCheck.BatchShape shape,
                                     boolean training) {
            return new Fp64Reference(ReferenceWeights.from(params)).forward(new ReferenceInputs(shape.seqLen(),
                    shape.batch(), in.x().toDoubleArray(), in.h0() == null ? null : in.h0().toDoubleArray(),
                    in.c0() == null ? null : in.c0().toDoubleArray(), in.lengths(),
                    training ? in.dropoutSeed() : null));
        }

        private RnnOutputs outputs(ReferenceForward fwd, RnnInputs in, RnnCallCheck.BatchShape shape) {
            long[] x = in.x().shape();
            long[] state = {spec.stateLayers(), shape.batch(), spec.hiddenSize()};
            long[] hidden = {spec.stateLayers(), shape.batch(), spec.stateSize()};
            return new RnnOutputs(tensor(dtype, fwd.y(), x[0], x[1], spec.outputSize()),
                    tensor(dtype, fwd.hn(), hidden), fwd.cn() == null ? null : tensor(dtype, fwd.cn(), state));
        }

        @Override
        public InputGradients backwardData(TrainingReserve reserve, OutputGradients g) {
            HeapReserve r = open(reserve);
            if (r.gradients != null) {
                throw new IllegalStateException("backwardData already ran on this reserve");
            }
            check.outputGradients(g, r.shape);
            r.gradients = r.reference.backward(r.forward, array(g.dy()), array(g.dhn()), array(g.dcn()));
            long[] state = {spec.stateLayers(), r.shape.batch(), spec.hiddenSize()};
            long[] hidden = {spec.stateLayers(), r.shape.batch(), spec.stateSize()};
            return new InputGradients(tensor(dtype, r.gradients.dx(), r.xShape), tensor(dtype, r.gradients.dh0(), hidden),
                    r.gradients.dc0() == null ? null : tensor(dtype, r.gradients.dc0(), state));
        }

        @Override
        public void backwardWeights(TrainingReserve reserve, Parameters gradients) {
            HeapReserve r = open(reserve);
            if (r.gradients == null) {
                throw new IllegalStateException("backwardWeights needs backwardData first");
            }
            check.parameters("gradients", gradients);
            for (Map.Entry<String, double[]> e : r.gradients.weights().entrySet()) {
                gradients.write(e.getKey(), HostArrays.add(gradients.readDoubles(e.getKey()), e.getValue()));
            }
        }

        private HeapReserve open(TrainingReserve reserve) {
            if (!(reserve instanceof HeapReserve r)) {
                throw new IllegalArgumentException("not a reserve of this backend: " + reserve);
            }
            if (r.isClosed()) {
                throw new IllegalStateException("reserve is closed");
            }
            return r;
        }

        private double[] array(Tensor t) {
            return t == null ? null : t.toDoubleArray();
        }

        @Override
        public void close() {
        }
    }

    private final class HeapReserve implements TrainingReserve {
        final ReferenceForward forward;
        final Fp64Reference reference;
        final RnnCallCheck.BatchShape shape;
        final long[] xShape;
        final Tensor accounting;   // stands in for the gate activations a real reserve holds
        ReferenceGradients gradients;

        HeapReserve(ReferenceForward forward, Parameters params, RnnInputs in, RnnCallCheck.BatchShape shape) {
            this.forward = forward;
            this.reference = new Fp64Reference(ReferenceWeights.from(params));
            this.shape = shape;
            this.xShape = in.x().shape();
            this.accounting = allocate(params.dtype(), (long) shape.seqLen() * shape.batch()
                    * 6 * params.spec().hiddenSize() * params.spec().stateLayers());
        }

        @Override
        public long bytes() {
            return accounting.size() * accounting.dtype().byteSize();
        }

        @Override
        public boolean isClosed() {
            return accounting.isClosed();
        }

        @Override
        public void close() {
            accounting.close();
        }
    }
}
