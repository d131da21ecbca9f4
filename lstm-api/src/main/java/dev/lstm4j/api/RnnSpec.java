package dev.lstm4j.api;

import java.util.Objects;

/**
 * Immutable description of a whole recurrent stack, as cuDNN and PyTorch describe it: one object for all
 * layers and both directions.
 *
 * <p>Layer {@code k > 0} reads the output of layer {@code k - 1}, whose size is
 * {@code directions * hiddenSize}. Outputs of a bidirectional layer concatenate the forward and the
 * reverse direction along the feature axis, forward first.
 *
 * @param cell          the recurrent cell
 * @param inputSize     features per step of the stack's input ({@code I})
 * @param hiddenSize    units per layer and direction ({@code H})
 * @param numLayers     stacked layers ({@code L})
 * @param bidirectional whether each layer also runs from the last step to the first
 * @param bias          whether the layers have {@code bias_ih} and {@code bias_hh}
 * @param layout        time-major {@code [T, B, I]} or batch-first {@code [B, T, I]}
 * @param cellClip      0 for none; else the cell state is clamped to {@code [-cellClip, cellClip]} after each
 *                      update, as cuDNN's RNN clip does ({@code c' = clamp(f * c + i * g)}, and
 *                      {@code h' = o * tanh(c')} uses the clamped value). No gradient flows through a clamped
 *                      unit. Cells with a cell state only.
 * @param projSize      0 for none; else PyTorch's {@code proj_size} (LSTMP): {@code h = W_hr (o * tanh(c))} has
 *                      {@code P = projSize < H} features, {@code weight_hh} is {@code [G*H, P]}, the outputs,
 *                      {@code h0} and {@code hn} have {@code P} features, {@code c} keeps {@code H}
 * @param dropout       probability in {@code [0, 1)} of zeroing each element of a layer's output before the next
 *                      layer reads it, in training only (not after the last layer; survivors scaled by
 *                      {@code 1 / (1 - p)}, as PyTorch's {@code dropout}). The mask comes from
 *                      {@link DropoutMask} and the seed each training call passes
 *                      ({@link RnnInputs#withDropoutSeed}), so every backend draws the same one
 */
public record RnnSpec(CellType cell, int inputSize, int hiddenSize, int numLayers, boolean bidirectional,
                      boolean bias, SequenceLayout layout, double cellClip, int projSize, double dropout) {

    /** A stack without cell clipping, projection or dropout. */
    public RnnSpec(CellType cell, int inputSize, int hiddenSize, int numLayers, boolean bidirectional, boolean bias,
                   SequenceLayout layout) {
        this(cell, inputSize, hiddenSize, numLayers, bidirectional, bias, layout, 0.0, 0, 0.0);
    }

    public RnnSpec {
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(layout, "layout");
        requirePositive("inputSize", inputSize);
        requirePositive("hiddenSize", hiddenSize);
        requirePositive("numLayers", numLayers);
        // The packed parameter buffer is indexed with longs, but one weight matrix is handed to BLAS
        // with int dimensions: keep every row count representable.
        if ((long) cell.gateCount() * hiddenSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("hiddenSize " + hiddenSize + " is too large: "
                    + cell.gateCount() + " * hiddenSize must fit in an int");
        }
        if (!(cellClip >= 0) || Double.isInfinite(cellClip)) {
            throw new IllegalArgumentException("cellClip must be a finite number >= 0 (0 = no clipping), got "
                    + cellClip);
        }
        if (cellClip > 0 && !cell.hasCellState()) {
            throw new IllegalArgumentException("cellClip applies to the cell state, which a " + cell + " does not have");
        }
        if (projSize < 0 || (projSize > 0 && projSize >= hiddenSize)) {
            throw new IllegalArgumentException("projSize must be 0 (no projection) or between 1 and hiddenSize - 1 = "
                    + (hiddenSize - 1) + ", got " + projSize);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (projSize > 0 && !cell.hasCellState()) {
            throw new IllegalArgumentException("projSize applies to LSTM cells (PyTorch's proj_size); a " + cell
                    + " has none");
        }
    }

    /** Whether training drops elements between layers: {@code dropout > 0} and more than one layer. */
    public boolean dropsBetweenLayers() {
        return dropout > 0 && numLayers > 1;
    }

    /** Whether the hidden state is projected ({@link #projSize()} > 0). */
    public boolean projects() {
        return projSize > 0;
    }

    /** Features of the hidden state {@code h} (and of {@code h0}, {@code hn}, each output): P with projection, else H. */
    public int stateSize() {
        return projSize > 0 ? projSize : hiddenSize;
    }

    /** Whether the cell state is clamped ({@link #cellClip()} > 0). */
    public boolean clipsCell() {
        return cellClip > 0;
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    /** A builder for an LSTM stack; the other fields default to 1 layer, unidirectional, bias, time-major. */
    public static Builder lstm(int inputSize, int hiddenSize) {
        return builder().cell(CellType.LSTM).inputSize(inputSize).hiddenSize(hiddenSize);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this description's values. */
    public Builder toBuilder() {
        return new Builder().cell(cell).inputSize(inputSize).hiddenSize(hiddenSize).numLayers(numLayers)
                .bidirectional(bidirectional).bias(bias).layout(layout).cellClip(cellClip).projSize(projSize).dropout(dropout);
    }

    /** 2 when bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** Rows of {@code weight_ih} and {@code weight_hh}: gates times hidden size. */
    public int gateRows() {
        return cell.gateCount() * hiddenSize;
    }

    /** Features per step that layer {@code layer} reads. */
    public int layerInputSize(int layer) {
        Objects.checkIndex(layer, numLayers);
        return layer == 0 ? inputSize : directions() * stateSize();
    }

    /** Features per step of the stack's output: {@code directions * stateSize()} (D*H, or D*P with projection). */
    public int outputSize() {
        return directions() * stateSize();
    }

    /** First dimension of {@code h0}, {@code c0}, {@code hn} and {@code cn}: {@code numLayers * directions}. */
    public int stateLayers() {
        return numLayers * directions();
    }

    /** Validating builder; {@link #build()} throws {@link IllegalArgumentException} naming the bad field. */
    public static final class Builder {
        private CellType cell = CellType.LSTM;
        private int inputSize;
        private int hiddenSize;
        private int numLayers = 1;
        private boolean bidirectional;
        private boolean bias = true;
        private SequenceLayout layout = SequenceLayout.TIME_MAJOR;
        private double cellClip;
        private int projSize;
        private double dropout;

        private Builder() {
        }

        public Builder cell(CellType cell) {
            this.cell = cell;
            return this;
        }

        public Builder inputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        public Builder hiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        public Builder numLayers(int numLayers) {
            this.numLayers = numLayers;
            return this;
        }

        public Builder bidirectional(boolean bidirectional) {
            this.bidirectional = bidirectional;
            return this;
        }

        public Builder bias(boolean bias) {
            this.bias = bias;
            return this;
        }

        public Builder layout(SequenceLayout layout) {
            this.layout = layout;
            return this;
        }

        /** Shorthand for {@code layout(BATCH_FIRST)} when {@code batchFirst} is true. */
        public Builder batchFirst(boolean batchFirst) {
            this.layout = batchFirst ? SequenceLayout.BATCH_FIRST : SequenceLayout.TIME_MAJOR;
            return this;
        }

        /** Clamps the cell state to {@code [-clip, clip]} after each update; 0 (the default) turns it off. */
        public Builder cellClip(double clip) {
            this.cellClip = clip;
            return this;
        }

        /** PyTorch's {@code proj_size}: projects h to {@code projSize < hiddenSize} features; 0 (default) = none. */
        public Builder projSize(int projSize) {
            this.projSize = projSize;
            return this;
        }

        /** Dropout probability between layers in training, PyTorch's {@code dropout}; 0 (default) = none. */
        public Builder dropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        public RnnSpec build() {
            return new RnnSpec(cell, inputSize, hiddenSize, numLayers, bidirectional, bias, layout, cellClip,
                    projSize, dropout);
        }
    }
}
