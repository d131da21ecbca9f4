package dev.lstm4j.train;

import dev.lstm4j.api.Closeables;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.train.data.TokenStreams;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Truncated backpropagation through time for a {@link LanguageModel} over {@link TokenStreams}, with a
 * forward length (the segment: the steps between two updates, whose losses each update trains on) and a
 * backward length of {@code backwardSegments} segments (how far back the gradient reaches), as Williams and
 * Peng's TBPTT(k1, k2) with k2 a multiple of k1.
 *
 * <p>Update {@code j} runs the window of the last {@code backwardSegments} segments ending at segment
 * {@code j}, from the state at the window's start; only segment {@code j}'s targets count (the earlier ones
 * were trained on by earlier updates and are masked), but the gradient flows back through the whole window.
 * The state at a window's start is the state at the end of an earlier window, kept in a ring of
 * {@code backwardSegments} states; at the start of each pass over the data the state is zero again. With one
 * backward segment this is the usual carry of the state from segment to segment.
 */
public final class TruncatedBptt implements Trainer.Task, AutoCloseable {
    private final LanguageModel model;
    private final TokenStreams train;
    private final TokenStreams validation;
    private final int backwardSegments;
    private final RecurrentState[] ends;   // ends[j % backwardSegments]: the state after window j
    private final RecurrentState working;

    public TruncatedBptt(LanguageModel model, TokenStreams train, int backwardSegments, TokenStreams validation) {
        if (backwardSegments < 1 || backwardSegments > train.segments()) {
            throw new IllegalArgumentException("backward segments must be in [1, " + train.segments()
                    + "] (the segments of a pass), got " + backwardSegments);
        }
        this.model = model;
        this.train = train;
        this.validation = validation;
        this.backwardSegments = backwardSegments;
        this.ends = new RecurrentState[backwardSegments];
        RecurrentState w = null;
        try {
            for (int k = 0; k < backwardSegments; k++) {
                ends[k] = model.newState(train.batch());
            }
            w = model.newState(train.batch());
        } catch (RuntimeException e) {
            Closeables.closeAll(ends);
            throw e;
        }
        working = w;
    }

    @Override
    public List<Parameter> parameters() {
        return model.parameters();
    }

    /** Trains the window ending at segment {@code step}; the loss (of that segment's targets) in bits per token. */
    @Override
    public Trainer.StepLoss step(long step) {
        int last = (int) Math.floorMod(step, (long) train.segments());
        int first = Math.max(0, last - backwardSegments + 1);
        if (first == 0) {
            working.reset();
        } else {
            RecurrentState start = ends[(first - 1) % backwardSegments];
            working.carry(start.h(), start.c());
        }
        int segmentTokens = train.steps() * train.batch();
        int windows = last - first + 1;
        int[] tokens = new int[windows * segmentTokens];
        int[] targets = new int[windows * segmentTokens];
        for (int k = first; k <= last; k++) {
            TokenStreams.Segment segment = train.segment(k);
            int at = (k - first) * segmentTokens;
            System.arraycopy(segment.tokens(), 0, tokens, at, segmentTokens);
            if (k == last) {
                System.arraycopy(segment.targets(), 0, targets, at, segmentTokens);
            } else {
                java.util.Arrays.fill(targets, at, at + segmentTokens, -1);   // trained on by an earlier update
            }
        }
        double nats = model.trainStep(tokens, targets, windows * train.steps(), train.batch(), working);
        RecurrentState end = ends[last % backwardSegments];
        end.carry(working.h(), working.c());
        // reported in bits, the unit of the validation metric, so that the two curves compare
        return new Trainer.StepLoss(nats / Math.log(2), segmentTokens);
    }

    /** Bits per token over every segment of the validation streams, from a zero state. */
    @Override
    public double validate() {
        return model.bitsPerToken(validation);
    }

    /** The carried states by name ({@code tbptt.<k>.h}, {@code tbptt.<k>.c}), for checkpoints; still this object's. */
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int k = 0; k < backwardSegments; k++) {
            out.put("tbptt." + k + ".h", ends[k].h());
            if (ends[k].c() != null) {
                out.put("tbptt." + k + ".c", ends[k].c());
            }
        }
        return out;
    }

    @Override
    public void close() {
        Closeables.closeAll(working);
        Closeables.closeAll(ends);
    }
}
