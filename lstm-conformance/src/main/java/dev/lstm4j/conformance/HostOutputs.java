package dev.lstm4j.conformance;

import dev.lstm4j.api.RnnOutputs;

/** A backend's forward outputs copied to the host. */
public record HostOutputs(double[] y, double[] hn, double[] cn) {

    /** Copies {@code out}; does not close it. */
    public static HostOutputs of(RnnOutputs out) {
        return new HostOutputs(out.y().toDoubleArray(), out.hn().toDoubleArray(),
                out.cn() == null ? null : out.cn().toDoubleArray());
    }
}
