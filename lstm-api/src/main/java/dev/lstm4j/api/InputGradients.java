package dev.lstm4j.api;

/**
 * What {@link Rnn#backwardData} returns; the caller owns and closes it.
 *
 * @param dx  gradient with respect to {@code x}, same shape as {@code x}; zero past each sequence's length
 * @param dh0 gradient with respect to {@code h0}, {@code [L*D, B, H]}
 * @param dc0 gradient with respect to {@code c0}, {@code [L*D, B, H]}; null for cells without a cell state
 */
public record InputGradients(Tensor dx, Tensor dh0, Tensor dc0) implements AutoCloseable {
    @Override
    public void close() {
        Closeables.closeAll(dx, dh0, dc0);
    }
}
