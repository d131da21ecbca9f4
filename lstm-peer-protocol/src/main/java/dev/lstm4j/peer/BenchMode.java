package dev.lstm4j.peer;

import java.util.Arrays;
import java.util.Locale;

/** What one timed iteration does. */
public enum BenchMode {
    /** Forward pass without keeping anything for backward. */
    INFERENCE("inference", 1),
    /** Forward for training, backward data and backward weights: 3x the forward FLOPs. */
    TRAIN("train", 3);

    private final String label;
    private final int flopMultiple;

    BenchMode(String label, int flopMultiple) {
        this.label = label;
        this.flopMultiple = flopMultiple;
    }

    /** The name used on the command line and in result files. */
    public String label() {
        return label;
    }

    /** GEMM FLOPs of one iteration as a multiple of the forward pass's. */
    public int flopMultiple() {
        return flopMultiple;
    }

    public static BenchMode parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (BenchMode m : values()) {
            if (m.label.equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + text + "', expected one of "
                + Arrays.stream(values()).map(BenchMode::label).toList());
    }

    @Override
    public String toString() {
        return label;
    }
}
