package dev.lstm4j.conformance;

import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.SequenceLayout;

/**
 * One test scenario: a stack, a batch shape, optional lengths and initial states, and the seed that fixes
 * every random value (weights, x, h0, c0, upstream gradients).
 *
 * @param lengths null for full-length sequences
 * @param withH0  whether an initial hidden state is passed (else zeros)
 * @param withC0  whether an initial cell state is passed (else zeros)
 */
public record Case(RnnSpec spec, int seqLen, int batch, int[] lengths, boolean withH0, boolean withC0, long seed) {

    public Case {
        lengths = lengths == null ? null : lengths.clone();
    }

    /** Full-length sequences, zero initial state, seed 1. */
    public static Case of(RnnSpec spec, int seqLen, int batch) {
        return new Case(spec, seqLen, batch, null, false, false, 1);
    }

    public Case withLengths(int... newLengths) {
        return new Case(spec, seqLen, batch, newLengths, withH0, withC0, seed);
    }

    /** Random {@code h0} and {@code c0}. */
    public Case withInitialState() {
        return new Case(spec, seqLen, batch, lengths, true, true, seed);
    }

    public Case withInitialState(boolean h0, boolean c0) {
        return new Case(spec, seqLen, batch, lengths, h0, c0, seed);
    }

    public Case withSeed(long newSeed) {
        return new Case(spec, seqLen, batch, lengths, withH0, withC0, newSeed);
    }

    @Override
    public int[] lengths() {
        return lengths == null ? null : lengths.clone();
    }

    public boolean batchFirst() {
        return spec.layout() == SequenceLayout.BATCH_FIRST;
    }

    /** {@code [T, B, I]} or {@code [B, T, I]}. */
    public long[] xShape() {
        return sequenceShape(spec.inputSize());
    }

    /** {@code [T, B, D*H]} or {@code [B, T, D*H]}. */
    public long[] yShape() {
        return sequenceShape(spec.outputSize());
    }

    /** {@code [L*D, B, H]}: the cell state's shape. */
    public long[] stateShape() {
        return new long[] {spec.stateLayers(), batch, spec.hiddenSize()};
    }

    /** {@code [L*D, B, P]} with projection, else {@link #stateShape()}: the hidden state's shape. */
    public long[] hiddenShape() {
        return new long[] {spec.stateLayers(), batch, spec.stateSize()};
    }

    /** Elements of the hidden state: {@code L*D * B * P} with projection, else {@link #stateSize()}. */
    public int hiddenSize() {
        return spec.stateLayers() * batch * spec.stateSize();
    }

    public int xSize() {
        return seqLen * batch * spec.inputSize();
    }

    public int ySize() {
        return seqLen * batch * spec.outputSize();
    }

    public int stateSize() {
        return spec.stateLayers() * batch * spec.hiddenSize();
    }

    private long[] sequenceShape(int features) {
        return batchFirst() ? new long[] {batch, seqLen, features} : new long[] {seqLen, batch, features};
    }
}
