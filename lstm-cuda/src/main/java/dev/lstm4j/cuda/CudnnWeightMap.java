package dev.lstm4j.cuda;

import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.RnnSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each gate's slice of each PyTorch parameter lives in cuDNN's RNN weight space, in the coordinates that
 * {@code cudnnGetRNNWeightParams} takes: pseudo-layer {@code layer * directions + direction}, and linear-layer
 * ID 0-3 for the input matrices and biases of gates i, f, g, o, 4-7 for the recurrent ones. cuDNN's LSTM gate
 * order is PyTorch's, and with {@code CUDNN_RNN_DOUBLE_BIAS} it keeps both biases, so every region is one
 * contiguous row-major slice that copies as a block; the addresses come from the query at run time.
 */
final class CudnnWeightMap {

    /**
     * One gate's matrix or bias vector.
     *
     * @param packedOffset offset in elements in lstm4j's packed parameters (PyTorch's layout)
     * @param rows         H
     * @param columns      the layer's input size or H for matrices, 1 for biases
     */
    record Region(String parameter, int gate, long packedOffset, int rows, int columns, int pseudoLayer,
                  int linLayerId, boolean bias) {

        long size() {
            return (long) rows * columns;
        }
    }

    private CudnnWeightMap() {
    }

    /** Every region of the stack, in cuDNN's order (pseudo-layer, then linear-layer ID, matrices before biases). */
    static List<Region> of(RnnSpec spec) {
        ParameterLayout layout = new ParameterLayout(spec);
        int hidden = spec.hiddenSize();
        int directions = spec.bidirectional() ? 2 : 1;
        List<Region> regions = new ArrayList<>();
        for (int layer = 0; layer < spec.numLayers(); layer++) {
            for (int direction = 0; direction < directions; direction++) {
                ParameterLayout.Block block = layout.block(layer, direction);
                int pseudoLayer = layer * directions + direction;
                int input = block.inputSize();
                for (int recurrent = 0; recurrent < 2; recurrent++) {
                    ParameterLayout.Kind weight = recurrent == 0 ? ParameterLayout.Kind.WEIGHT_IH
                            : ParameterLayout.Kind.WEIGHT_HH;
                    ParameterLayout.Kind bias = recurrent == 0 ? ParameterLayout.Kind.BIAS_IH
                            : ParameterLayout.Kind.BIAS_HH;
                    long weightStart = recurrent == 0 ? block.wIh() : block.wHh();
                    long biasStart = recurrent == 0 ? block.bIh() : block.bHh();
                    int columns = recurrent == 0 ? input : hidden;
                    for (int gate = 0; gate < 4; gate++) {
                        int linLayerId = 4 * recurrent + gate;
                        regions.add(new Region(weight.nameFor(layer, direction), gate,
                                weightStart + (long) gate * hidden * columns, hidden, columns, pseudoLayer,
                                linLayerId, false));
                        if (block.hasBias()) {
                            regions.add(new Region(bias.nameFor(layer, direction), gate,
                                    biasStart + (long) gate * hidden, hidden, 1, pseudoLayer, linLayerId, true));
                        }
                    }
                }
            }
        }
        return regions;
    }
}
