package dev.lstm4j.conformance;

/**
 * Upstream gradients {@code dy}, {@code dhn}, {@code dcn} on the host; each null means zero. They define
 * the scalar loss {@code L = sum(dy * y) + sum(dhn * hn) + sum(dcn * cn)} whose gradients the suites check.
 */
public record Upstream(double[] dy, double[] dhn, double[] dcn) {

    /** No upstream gradient at all. */
    public static Upstream none() {
        return new Upstream(null, null, null);
    }

    /** The loss above for the given outputs. */
    public double loss(double[] y, double[] hn, double[] cn) {
        return HostArrays.dot(dy, y) + HostArrays.dot(dhn, hn) + HostArrays.dot(dcn, cn);
    }
}
