package dev.lstm4j.cpu;

import dev.lstm4j.api.spi.RnnCallCheck.BatchShape;

/** Conversions between batch-first and time-major sequences, and padding masks. */
final class SequenceLayouts {
    private SequenceLayouts() {
    }

    /** {@code [B, T, F]} to {@code [T, B, F]}. */
    static void toTimeMajor(NativeBuffer src, NativeBuffer dst, int seqLen, int batch, int features) {
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seqLen; t++) {
                NativeBuffer.copy(src, ((long) b * seqLen + t) * features, dst, ((long) t * batch + b) * features,
                        features);
            }
        }
    }

    /** {@code [T, B, F]} to {@code [B, T, F]}. */
    static void toBatchFirst(NativeBuffer src, NativeBuffer dst, int seqLen, int batch, int features) {
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seqLen; t++) {
                NativeBuffer.copy(src, ((long) t * batch + b) * features, dst, ((long) b * seqLen + t) * features,
                        features);
            }
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
