package dev.lstm4j.api;

/**
 * What a training forward pass keeps for backpropagation through time: per layer and direction the gate
 * activations {@code [T, B, G*H]} and the cell states {@code [T, B, H]}, plus every layer's output. For an
 * LSTM that is about {@code T * B * 6H} values per layer and direction, in the stack's dtype.
 *
 * <p>The reserve references the parameters and input of its forward pass: keep both open and unchanged
 * until {@link Rnn#backwardWeights} has run. {@link Rnn#backwardData} may run once per reserve, and
 * {@link Rnn#backwardWeights} only after it (it reuses the space of the gate activations for the gate
 * gradients, as cuDNN does).
 */
public interface TrainingReserve extends AutoCloseable {

    /** Native bytes this reserve holds. */
    long bytes();

    boolean isClosed();

    @Override
    void close();
}
