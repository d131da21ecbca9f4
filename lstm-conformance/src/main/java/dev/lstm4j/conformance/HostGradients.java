package dev.lstm4j.conformance;

import java.util.Map;

/** A backend's gradients copied to the host; {@code weights} by PyTorch name. */
public record HostGradients(double[] dx, double[] dh0, double[] dc0, Map<String, double[]> weights) {
}
