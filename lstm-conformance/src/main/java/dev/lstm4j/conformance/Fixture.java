package dev.lstm4j.conformance;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Closeables;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.InputGradients;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.TrainingForward;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.lstm4j.conformance.Checks.assertShape;

/**
 * A {@link Case} set up on a backend: the {@link Rnn}, parameters from the case's seed, and {@code x},
 * {@code h0}, {@code c0} both on the host and as backend tensors. The reference reads its weights back
 * from the backend's parameters and its inputs are the same host arrays, rounded to the dtype, so both
 * sides compute on identical numbers. Closing the fixture closes everything it created.
 */
public final class Fixture implements AutoCloseable {
    private final Backend backend;
    private final DType dtype;
    private final Case c;
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();   // closed last-in first-out
    private final Rnn rnn;
    private final Parameters params;
    private final double[] hostX;    // x's layout
    private final double[] hostH0;   // [L*D, B, H] or null
    private final double[] hostC0;   // [L*D, B, H] or null
    private final Tensor x;
    private final Tensor h0;
    private final Tensor c0;

    /** A backward pass copied to the host, with the outputs of its training forward pass. */
    public record Trained(HostOutputs outputs, HostGradients gradients) {
    }

    private Fixture(Backend backend, DType dtype, Case c) {
        this.backend = backend;
        this.dtype = dtype;
        this.c = c;
        this.hostX = random(c.xSize(), 1);
        this.hostH0 = c.withH0() ? random(c.hiddenSize(), 2) : null;
        this.hostC0 = c.withC0() ? random(c.stateSize(), 3) : null;
        try {
            this.rnn = own(backend.rnn(c.spec(), dtype));
            this.params = own(rnn.initParameters(c.seed()));
            this.x = tensor(hostX, c.xShape());
            this.h0 = hostH0 == null ? null : tensor(hostH0, c.hiddenShape());
            this.c0 = hostC0 == null ? null : tensor(hostC0, c.stateShape());
        } catch (RuntimeException | Error e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Sets up {@code c} on {@code backend}; on failure closes whatever it had created. */
    public static Fixture open(Backend backend, DType dtype, Case c) {
        return new Fixture(backend, dtype, c);
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.push(resource);
        return resource;
    }

    public Backend backend() {
        return backend;
    }

    public DType dtype() {
        return dtype;
    }

    public Case testCase() {
        return c;
    }

    public Rnn rnn() {
        return rnn;
    }

    public Parameters params() {
        return params;
    }

    public Tensor x() {
        return x;
    }

    public Tensor h0() {
        return h0;
    }

    public Tensor c0() {
        return c0;
    }

    public double[] hostX() {
        return hostX.clone();
    }

    public double[] hostH0() {
        return hostH0 == null ? null : hostH0.clone();
    }

    public double[] hostC0() {
        return hostC0 == null ? null : hostC0.clone();
    }

    /** {@code n} values in [-1, 1) from the case's seed and {@code salt}, representable in the dtype. */
    public double[] random(int n, long salt) {
        return HostArrays.representable(HostArrays.uniform(n, c.seed() * 1_000_003L + salt), dtype);
    }

    /** A backend tensor holding {@code host}; the fixture closes it. */
    public Tensor tensor(double[] host, long... shape) {
        return own(backend.tensor(dtype, host, shape));
    }

    /** The case's inputs as backend tensors. */
    public RnnInputs inputs() {
        RnnInputs in = RnnInputs.of(x).withInitialState(h0, c0);
        return c.lengths() == null ? in : in.withLengths(c.lengths());
    }

    /** The case's inputs as host arrays for the reference. */
    public ReferenceInputs referenceInputs() {
        return new ReferenceInputs(c.seqLen(), c.batch(), hostX, hostH0, hostC0, c.lengths());
    }

    /**
     * The seed of a training pass's dropout mask: derived from the case's seed when the stack drops out between
     * layers, else null.
     */
    public Long dropoutSeed() {
        return c.spec().dropsBetweenLayers() ? c.seed() * 7919 + 13 : null;
    }

    /** The case's inputs for a training pass: {@link #inputs()} with the dropout seed when there is dropout. */
    public RnnInputs trainingInputs() {
        Long seed = dropoutSeed();
        return seed == null ? inputs() : inputs().withDropoutSeed(seed);
    }

    /** {@link #referenceInputs()} of a training pass (with its dropout seed). */
    public ReferenceInputs referenceTrainingInputs() {
        return new ReferenceInputs(c.seqLen(), c.batch(), hostX, hostH0, hostC0, c.lengths(), dropoutSeed());
    }

    /** The reference's training forward pass (dropout applied where the stack has it). */
    public ReferenceForward referenceTrainingForward() {
        return reference().forward(referenceTrainingInputs());
    }

    /** The reference with the backend's current parameter values. */
    public Fp64Reference reference() {
        return new Fp64Reference(ReferenceWeights.from(params));
    }

    public ReferenceForward referenceForward() {
        return reference().forward(referenceInputs());
    }

    /** Random upstream gradients for the chosen outputs (representable in the dtype). */
    public Upstream upstream(boolean dy, boolean dhn, boolean dcn) {
        return new Upstream(dy ? random(c.ySize(), 4) : null, dhn ? random(c.hiddenSize(), 5) : null,
                dcn ? random(c.stateSize(), 6) : null);
    }

    /** The reference's gradients for {@code u}, of a training pass (with dropout where the stack has it). */
    public ReferenceGradients referenceGradients(Upstream u) {
        Fp64Reference ref = reference();
        return ref.backward(ref.forward(referenceTrainingInputs()), u.dy(), u.dhn(), u.dcn());
    }

    /** {@code forwardInference} on the case's inputs, checked for shapes and copied to the host. */
    public HostOutputs infer() {
        return infer(inputs(), c);
    }

    /** {@code forwardInference} on other inputs of the same stack, whose shapes {@code shapeCase} gives. */
    public HostOutputs infer(RnnInputs inputs, Case shapeCase) {
        try (RnnOutputs out = rnn.forwardInference(params, inputs)) {
            assertOutputShapes("forwardInference", out, shapeCase);
            return HostOutputs.of(out);
        }
    }

    /**
     * {@code forwardTraining}, {@code backwardData} with {@code u}, and {@code backwardWeights} into new
     * zero gradients, on the case's inputs; everything checked for shapes, copied to the host and closed.
     */
    public Trained train(Upstream u) {
        try (TrainingForward tf = rnn.forwardTraining(params, trainingInputs());
             Parameters grads = rnn.newParameters();
             Tensor dy = u.dy() == null ? null : backend.tensor(dtype, u.dy(), c.yShape());
             Tensor dhn = u.dhn() == null ? null : backend.tensor(dtype, u.dhn(), c.hiddenShape());
             Tensor dcn = u.dcn() == null ? null : backend.tensor(dtype, u.dcn(), c.stateShape())) {
            assertOutputShapes("forwardTraining", tf.outputs(), c);
            HostOutputs outputs = HostOutputs.of(tf.outputs());
            HostGradients gradients;
            try (InputGradients ig = rnn.backwardData(tf.reserve(), new OutputGradients(dy, dhn, dcn))) {
                assertShape("dx", ig.dx(), dtype, c.xShape());
                assertShape("dh0", ig.dh0(), dtype, c.hiddenShape());
                assertCellState("dc0", ig.dc0(), c);
                rnn.backwardWeights(tf.reserve(), grads);
                gradients = new HostGradients(ig.dx().toDoubleArray(), ig.dh0().toDoubleArray(),
                        ig.dc0() == null ? null : ig.dc0().toDoubleArray(), read(grads));
            }
            return new Trained(outputs, gradients);
        }
    }

    /** Every tensor of {@code p} by name. */
    public static Map<String, double[]> read(Parameters p) {
        Map<String, double[]> map = new LinkedHashMap<>();
        for (String name : p.names()) {
            map.put(name, p.readDoubles(name));
        }
        return map;
    }

    private void assertOutputShapes(String call, RnnOutputs out, Case shapes) {
        assertShape(call + " y", out.y(), dtype, shapes.yShape());
        assertShape(call + " hn", out.hn(), dtype, shapes.hiddenShape());
        assertCellState(call + " cn", out.cn(), shapes);
    }

    /** A cell-state tensor: {@code [L*D, B, H]}, or null for a cell without one (the GRU). */
    private void assertCellState(String what, Tensor t, Case shapes) {
        if (shapes.spec().cell().hasCellState()) {
            assertShape(what, t, dtype, shapes.stateShape());
        } else {
            org.junit.jupiter.api.Assertions.assertNull(t, what + " must be null: a " + shapes.spec().cell()
                    + " has no cell state");
        }
    }

    @Override
    public void close() {
        AutoCloseable[] all = owned.toArray(AutoCloseable[]::new);   // push order reversed: newest first
        owned.clear();
        Closeables.closeAll(all);
    }
}
