package dev.lstm4j.api;

/**
 * One step of SGD with momentum as PyTorch's {@code torch.optim.SGD} defines it (dampening 0). With {@code g} the
 * gradient, {@code p} the parameter and {@code b} the momentum buffer (zeros before the first step):
 * <pre>
 *   g += weightDecay * p      b = momentum * b + g      p -= lr * (nesterov ? g + momentum * b : b)
 * </pre>
 * With momentum 0 it is plain SGD and the buffer just holds the last update.
 */
public record SgdUpdate(double lr, double momentum, double weightDecay, boolean nesterov) {

    public SgdUpdate {
        AdamUpdate.requireRange("lr", lr, 0, Double.MAX_VALUE);
        AdamUpdate.requireRange("momentum", momentum, 0, 1);
        AdamUpdate.requireRange("weightDecay", weightDecay, 0, Double.MAX_VALUE);
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs a momentum > 0");
        }
    }
}
