package dev.lstm4j.train.data;

/**
 * A long token sequence cut into {@code batch} contiguous streams read side by side, one segment of
 * {@code steps} tokens per stream at a time: the layout of truncated BPTT, where segment {@code k + 1} of a
 * stream continues where segment {@code k} ended, so the state carried between them is meaningful.
 * Segment {@code k} of an epoch is the same for every epoch; tokens that do not fill a whole segment at the
 * end are left out.
 */
public final class TokenStreams {
    private final int[] tokens;
    private final int batch;
    private final int steps;
    private final int streamLength;
    private final int segments;

    public TokenStreams(int[] tokens, int batch, int steps) {
        if (batch < 1 || steps < 1) {
            throw new IllegalArgumentException("batch and steps must be >= 1, got " + batch + " and " + steps);
        }
        this.tokens = tokens.clone();
        this.batch = batch;
        this.steps = steps;
        // each stream needs one token more than it feeds: the last target
        this.streamLength = (tokens.length - 1) / batch;
        this.segments = streamLength / steps;
        if (segments < 1) {
            throw new IllegalArgumentException(tokens.length + " tokens are too few for " + batch + " streams of a "
                    + steps + "-step segment (" + ((long) batch * steps + 1) + " needed)");
        }
    }

    public int batch() {
        return batch;
    }

    public int steps() {
        return steps;
    }

    /** Segments per pass over the data. */
    public int segments() {
        return segments;
    }

    /** Inputs and next-token targets of segment {@code index} (taken modulo {@link #segments()}), time-major. */
    public Segment segment(long index) {
        int k = (int) Math.floorMod(index, (long) segments);
        int[] in = new int[steps * batch];
        int[] out = new int[steps * batch];
        for (int b = 0; b < batch; b++) {
            int start = b * streamLength + k * steps;
            for (int t = 0; t < steps; t++) {
                in[t * batch + b] = tokens[start + t];
                out[t * batch + b] = tokens[start + t + 1];
            }
        }
        return new Segment(in, out, k == 0);
    }

    /**
     * One segment.
     *
     * @param startsEpoch true for segment 0, where a stream starts again and the carried state should be reset
     */
    public record Segment(int[] tokens, int[] targets, boolean startsEpoch) {
    }
}
