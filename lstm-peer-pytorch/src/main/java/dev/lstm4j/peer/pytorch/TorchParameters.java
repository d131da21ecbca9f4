package dev.lstm4j.peer.pytorch;

import dev.lstm4j.peer.StackShape;

import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of PyTorch's {@code nn.LSTM} in the order {@code torch::lstm} takes them: per layer
 * {@code k}, per direction (forward, then {@code _reverse}), {@code weight_ih_l{k} [4H, I_k]},
 * {@code weight_hh_l{k} [4H, H]} and, with biases, {@code bias_ih_l{k} [4H]}, {@code bias_hh_l{k} [4H]}. Rows
 * are the gates {@code i, f, g, o}. {@code I_0 = I}; above it {@code I_k = D*H}.
 */
final class TorchParameters {
    private static final int GATES = 4;

    /** One tensor: its {@code state_dict} name and shape. */
    record Entry(String name, long[] shape) {

        /** Number of elements. */
        int size() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return Math.toIntExact(n);
        }
    }

    private TorchParameters() {
    }

    /** Every parameter of {@code shape}, in {@code torch::lstm}'s flat order. */
    static List<Entry> of(StackShape shape, boolean bias) {
        long rows = (long) GATES * shape.hiddenSize();
        List<Entry> entries = new ArrayList<>();
        for (int layer = 0; layer < shape.numLayers(); layer++) {
            for (int dir = 0; dir < shape.directions(); dir++) {
                String suffix = "_l" + layer + (dir == 1 ? "_reverse" : "");
                entries.add(new Entry("weight_ih" + suffix, new long[] {rows, shape.layerInputSize(layer)}));
                entries.add(new Entry("weight_hh" + suffix, new long[] {rows, shape.hiddenSize()}));
                if (bias) {
                    entries.add(new Entry("bias_ih" + suffix, new long[] {rows}));
                    entries.add(new Entry("bias_hh" + suffix, new long[] {rows}));
                }
            }
        }
        return entries;
    }
}
