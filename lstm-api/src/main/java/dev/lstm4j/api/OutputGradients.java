package dev.lstm4j.api;

/**
 * Upstream gradients handed to {@link Rnn#backwardData}; any of them may be null, meaning zero.
 *
 * @param dy  gradient of the loss with respect to {@code y}, same shape as {@code y}
 * @param dhn gradient with respect to {@code hn}, {@code [L*D, B, H]}
 * @param dcn gradient with respect to {@code cn}, {@code [L*D, B, H]}
 */
public record OutputGradients(Tensor dy, Tensor dhn, Tensor dcn) {
    /** Only a gradient on the outputs. */
    public static OutputGradients ofOutput(Tensor dy) {
        return new OutputGradients(dy, null, null);
    }
}
