package dev.lstm4j.nd4j;

/**
 * How Deeplearning4j lays out a batch of sequences (its {@code RNNFormat}). lstm4j's own layout is time-major
 * {@code [T, B, F]}; {@link Nd4jTensors} converts between them.
 */
public enum RnnFormat {
    /** {@code [batch, features, time]}: DL4J's default for recurrent layers. */
    NCW,
    /** {@code [batch, time, features]}. */
    NWC
}
