package dev.lstm4j.cpu;

import dev.lstm4j.api.spi.RnnCallCheck.BatchShape;

/** Conversions between batch-first and time-major sequences, and padding masks. */
final class SequenceLayouts {
    private SequenceLayouts() {
    }

    /** {@code [B, T, F]} to {@code [T, B, F]}. */
    static void toTimeMajor(CpuPrecision p, NativeBuffer src, NativeBuffer dst, int seqLen, int batch, int features) {
        for (int b = 0; b < batch; b++) {
            p.copyRows(seqLen, features, src, (long) b * seqLen * features, features, dst, (long) b * features,
                    (long) batch * features);
        }
    }

    /** {@code [T, B, F]} to {@code [B, T, F]}. */
    static void toBatchFirst(CpuPrecision p, NativeBuffer src, NativeBuffer dst, int seqLen, int batch, int features) {
        for (int b = 0; b < batch; b++) {
            p.copyRows(seqLen, features, src, (long) b * features, (long) batch * features, dst,
                    (long) b * seqLen * features, features);
        }
    }

    /** Zeroes the rows of a time-major {@code [T, B, F]} buffer that lie past each sequence's length. */
    static void zeroPadding(NativeBuffer buffer, BatchShape shape, int features) {
        for (int b = 0; b < shape.batch(); b++) {
            for (int t = shape.length(b); t < shape.seqLen(); t++) {
                buffer.zero(((long) t * shape.batch() + b) * features, features);
            }
        }
    }
}
