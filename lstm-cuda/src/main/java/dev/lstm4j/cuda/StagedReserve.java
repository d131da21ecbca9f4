package dev.lstm4j.cuda;

import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.TrainingReserve;
import dev.lstm4j.api.spi.RnnCallCheck.BatchShape;

import java.util.List;

/**
 * What every CUDA training reserve shares: the Rnn that made it, the forward call's parameters and shape, the
 * device buffers it owns, and where it is in its life (backwardData once, then backwardWeights).
 */
abstract class StagedReserve implements TrainingReserve {

    enum Stage { FORWARD_DONE, DATA_DONE }

    final CudaRnn owner;
    final Parameters params;
    final BatchShape shape;
    private final List<DeviceBuffer> owned;
    private Stage stage = Stage.FORWARD_DONE;
    private boolean closed;

    StagedReserve(CudaRnn owner, Parameters params, BatchShape shape, List<DeviceBuffer> owned) {
        this.owner = owner;
        this.params = params;
        this.shape = shape;
        this.owned = owned;
    }

    /** The device address of the forward pass's x, which the caller must have kept open. */
    static long forwardInput(Tensor x) {
        if (x.isClosed()) {
            throw new IllegalStateException("x of the training forward pass was closed; it must stay open until "
                    + "backwardWeights has run");
        }
        return CudaBackend.tensor(x).address();
    }

    final Stage stage() {
        return stage;
    }

    final void advance(Stage next) {
        stage = next;
    }

    final void requireOpen() {
        if (closed) {
            throw new IllegalStateException("training reserve is closed");
        }
    }

    @Override
    public final long bytes() {
        return closed ? 0 : owned.stream().mapToLong(DeviceBuffer::blockBytes).sum();
    }

    @Override
    public final boolean isClosed() {
        return closed;
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            owned.forEach(DeviceBuffer::close);
        }
    }
}
