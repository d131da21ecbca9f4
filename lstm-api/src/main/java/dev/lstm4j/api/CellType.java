package dev.lstm4j.api;

/**
 * The recurrent cell of a layer stack.
 *
 * <p>Gate order follows PyTorch so that its weights load unchanged: LSTM rows are {@code i, f, g, o};
 * GRU rows are {@code r, z, n}.
 */
public enum CellType {
    /** Long short-term memory as in PyTorch's {@code nn.LSTM}. */
    LSTM(4),
    /** Gated recurrent unit as in PyTorch's {@code nn.GRU}. */
    GRU(3),
    /** LSTM whose gates also see the cell state through diagonal weights ({@code weight_peephole_l{k}} [3, H]). */
    PEEPHOLE_LSTM(4);

    private final int gateCount;

    CellType(int gateCount) {
        this.gateCount = gateCount;
    }

    /** Number of gate blocks stacked in {@code weight_ih} and {@code weight_hh} (4 for LSTM, 3 for GRU). */
    public int gateCount() {
        return gateCount;
    }

    /** Whether the cell carries a cell state {@code c} besides the hidden state {@code h}. */
    public boolean hasCellState() {
        return this != GRU;
    }
}
