package dev.lstm4j.nd4j;

/**
 * Deeplearning4j's LSTM weight layout against PyTorch's, for one layer and direction.
 *
 * <p>PyTorch keeps {@code weight_ih [4H, I]} and {@code weight_hh [4H, H]}, rows in gate order {@code i, f, g, o},
 * and two biases {@code bias_ih}, {@code bias_hh [4H]}. DL4J keeps the transposes, {@code W [I, 4H]} and
 * {@code RW [H, 4H]}, columns in gate order {@code g, f, o, i} (the block input first, the input gate last;
 * DL4J's {@code LSTMHelpers} reads them in that order), and one bias {@code b [4H]}. GravesLSTM's {@code RW}
 * has three more columns, its peephole weights: {@code 4H} for the forget gate and {@code 4H + 2} for the
 * input gate, both reading the previous cell state, {@code 4H + 1} for the output gate, reading the new one.
 * That is lstm4j's peephole LSTM, whose {@code weight_peephole [3, H]} has rows {@code i, f, o}.
 *
 * <p>All arrays here are row-major, in double (callers round to the parameters' dtype).
 */
final class Dl4jGates {
    static final int GATES = 4;
    /** PyTorch's gate index (i=0, f=1, g=2, o=3) of each of DL4J's column blocks. */
    private static final int[] TORCH_GATE_OF_DL4J_BLOCK = {2, 1, 3, 0};
    /** Row of {@code weight_peephole} (i=0, f=1, o=2) of each of GravesLSTM's peephole columns (FF, OO, GG). */
    private static final int[] PEEPHOLE_ROW_OF_DL4J_COLUMN = {1, 2, 0};

    private Dl4jGates() {
    }

    /**
     * PyTorch's {@code [4H, rows]} from DL4J's {@code [rows, columns]}, whose first {@code 4H} columns are the
     * gate blocks (a {@code W} or {@code RW}, or a bias as one row).
     */
    static double[] toTorch(double[] dl4j, int rows, int columns, int hidden) {
        double[] torch = new double[GATES * hidden * rows];
        for (int blk = 0; blk < GATES; blk++) {
            int gate = TORCH_GATE_OF_DL4J_BLOCK[blk];
            for (int j = 0; j < hidden; j++) {
                int torchRow = gate * hidden + j;
                int column = blk * hidden + j;
                for (int r = 0; r < rows; r++) {
                    torch[torchRow * rows + r] = dl4j[r * columns + column];
                }
            }
        }
        return torch;
    }

    /** The inverse of {@link #toTorch}: fills the first {@code 4H} columns of {@code dl4j [rows, columns]}. */
    static void fromTorch(double[] torch, int rows, int columns, int hidden, double[] dl4j) {
        for (int blk = 0; blk < GATES; blk++) {
            int gate = TORCH_GATE_OF_DL4J_BLOCK[blk];
            for (int j = 0; j < hidden; j++) {
                int torchRow = gate * hidden + j;
                int column = blk * hidden + j;
                for (int r = 0; r < rows; r++) {
                    dl4j[r * columns + column] = torch[torchRow * rows + r];
                }
            }
        }
    }

    /** Writes {@code weight_peephole [3, H]} into GravesLSTM's peephole columns of {@code RW [H, 4H + 3]}. */
    static void putPeepholes(double[] peephole, int hidden, double[] recurrent) {
        int columns = GATES * hidden + 3;
        for (int k = 0; k < 3; k++) {
            int row = PEEPHOLE_ROW_OF_DL4J_COLUMN[k];
            for (int j = 0; j < hidden; j++) {
                recurrent[j * columns + GATES * hidden + k] = peephole[row * hidden + j];
            }
        }
    }

    /** PyTorch's {@code weight_peephole [3, H]} from a GravesLSTM {@code RW [H, 4H + 3]}. */
    static double[] peepholes(double[] recurrent, int hidden) {
        int columns = GATES * hidden + 3;
        double[] peephole = new double[3 * hidden];
        for (int k = 0; k < 3; k++) {
            int row = PEEPHOLE_ROW_OF_DL4J_COLUMN[k];
            for (int j = 0; j < hidden; j++) {
                peephole[row * hidden + j] = recurrent[j * columns + GATES * hidden + k];
            }
        }
        return peephole;
    }
}
