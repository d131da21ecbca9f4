package dev.lstm4j.api;

/** How a batch of sequences is laid out in memory. */
public enum SequenceLayout {
    /** {@code [T, B, features]}: the default of cuDNN and PyTorch, and the fastest here. */
    TIME_MAJOR,
    /** {@code [B, T, features]}: PyTorch's {@code batch_first=True}. */
    BATCH_FIRST
}
