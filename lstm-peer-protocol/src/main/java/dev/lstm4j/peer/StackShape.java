package dev.lstm4j.peer;

/**
 * The sizes of a benchmarked LSTM stack: sequence length T, batch B, input size I, hidden size H, layers
 * and directions. Time-major, float32, with biases, as every engine here computes it.
 */
public record StackShape(int seqLen, int batch, int inputSize, int hiddenSize, int numLayers,
                         boolean bidirectional) {

    public StackShape {
        requirePositive("seqLen", seqLen);
        requirePositive("batch", batch);
        requirePositive("inputSize", inputSize);
        requirePositive("hiddenSize", hiddenSize);
        requirePositive("numLayers", numLayers);
    }

    /** A one-layer, one-direction stack. */
    public static StackShape of(int seqLen, int batch, int inputSize, int hiddenSize) {
        return new StackShape(seqLen, batch, inputSize, hiddenSize, 1, false);
    }

    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** Input size of layer {@code layer}: I for the first, directions * H above it. */
    public int layerInputSize(int layer) {
        return layer == 0 ? inputSize : directions() * hiddenSize;
    }

    /**
     * GEMM FLOPs of one forward pass: {@code 2 * T * B * 4H * (I_layer + H)} summed over layers and
     * directions. Pointwise work is left out, as in DeepBench and cuDNN's published figures.
     */
    public double forwardFlops() {
        double total = 0;
        for (int layer = 0; layer < numLayers; layer++) {
            total += directions() * 2.0 * seqLen * batch * 4.0 * hiddenSize * (layerInputSize(layer) + hiddenSize);
        }
        return total;
    }

    /** GEMM FLOPs of one iteration in {@code mode}. */
    public double flops(BenchMode mode) {
        return mode.flopMultiple() * forwardFlops();
    }

    /** E.g. {@code T=50 B=32 I=256 H=256 x2 layers bidirectional}. */
    public String describe() {
        return "T=" + seqLen + " B=" + batch + " I=" + inputSize + " H=" + hiddenSize
                + (numLayers > 1 ? " x" + numLayers + " layers" : "") + (bidirectional ? " bidirectional" : "");
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }
}
