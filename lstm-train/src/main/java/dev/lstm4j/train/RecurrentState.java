package dev.lstm4j.train;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.CellType;
import dev.lstm4j.api.Closeables;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Tensor;

/**
 * The hidden (and, for LSTMs, cell) state carried from one segment of a long sequence to the next in
 * truncated BPTT: the next segment starts from it, but no gradient flows back through it. Owned tensors of
 * {@code [layers * directions, batch, stateSize]}, zero at first.
 */
public final class RecurrentState implements AutoCloseable {
    private final Backend backend;
    private final Tensor h;
    private final Tensor c;   // null for a GRU

    public RecurrentState(Backend backend, DType dtype, RnnSpec spec, int batch) {
        this.backend = backend;
        Tensor hidden = backend.allocate(dtype, spec.stateLayers(), batch, spec.stateSize());
        try {
            c = spec.cell() == CellType.GRU ? null : backend.allocate(dtype, spec.stateLayers(), batch,
                    spec.hiddenSize());
        } catch (RuntimeException e) {
            hidden.close();
            throw e;
        }
        h = hidden;
    }

    public Tensor h() {
        return h;
    }

    /** The cell state, or null for a GRU. */
    public Tensor c() {
        return c;
    }

    /** Copies a forward pass's final states in, on the backend (detached: values only). */
    public void carry(Tensor hn, Tensor cn) {
        h.fillZero();
        backend.axpy(1, hn, h);
        if (c != null) {
            c.fillZero();
            backend.axpy(1, cn, c);
        }
    }

    /** Back to zeros, e.g. at the start of a new pass over the data. */
    public void reset() {
        h.fillZero();
        if (c != null) {
            c.fillZero();
        }
    }

    @Override
    public void close() {
        Closeables.closeAll(h, c);
    }
}
