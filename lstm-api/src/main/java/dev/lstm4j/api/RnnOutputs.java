package dev.lstm4j.api;

/**
 * The outputs of a forward pass; the caller owns and closes them.
 *
 * @param y  last layer's hidden states at every step, {@code [T, B, D*H]} (batch-first: {@code [B, T, D*H]})
 * @param hn final hidden state of every layer and direction, {@code [L*D, B, H]}
 * @param cn final cell state, {@code [L*D, B, H]}; null for cells without a cell state
 */
public record RnnOutputs(Tensor y, Tensor hn, Tensor cn) implements AutoCloseable {
    @Override
    public void close() {
        Closeables.closeAll(y, hn, cn);
    }
}
