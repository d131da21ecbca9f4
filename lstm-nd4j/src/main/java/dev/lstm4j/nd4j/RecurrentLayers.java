package dev.lstm4j.nd4j;

import dev.lstm4j.api.CellType;
import dev.lstm4j.api.RnnSpec;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;

import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive recurrent layers of a DL4J network seen as one lstm4j stack: its spec, and for each layer and
 * direction where DL4J keeps the parameters ({@code 0_W}, {@code 1_bRW}, ...) and what PyTorch calls them.
 * Shared by the import of weights, of gradients, and the export back into a network.
 */
record RecurrentLayers(RnnSpec spec, RnnFormat format, List<Integer> indices, List<Block> blocks) {

    /** One layer and direction: DL4J's key prefix, PyTorch's name suffix, and the sizes. */
    record Block(String dl4jPrefix, String torchSuffix, int inputs, int hidden, boolean peephole) {
        int gateRows() {
            return Dl4jGates.GATES * hidden;
        }

        /** Columns of DL4J's {@code RW}: the gate blocks, and GravesLSTM's three peephole columns. */
        int recurrentColumns() {
            return gateRows() + (peephole ? 3 : 0);
        }
    }

    /** Every recurrent layer of {@code network}; they must be consecutive and form one stack. */
    static RecurrentLayers all(MultiLayerNetwork network) {
        List<Integer> recurrent = new ArrayList<>();
        for (int i = 0; i < network.getnLayers(); i++) {
            if (layerOrNull(network, i) != null) {
                recurrent.add(i);
            }
        }
        if (recurrent.isEmpty()) {
            throw new IllegalArgumentException("the network has no LSTM, GravesLSTM or Bidirectional LSTM layer; its "
                    + "layers are " + layerNames(network));
        }
        int first = recurrent.get(0);
        int last = recurrent.get(recurrent.size() - 1);
        if (last - first + 1 != recurrent.size()) {
            throw new IllegalArgumentException("the recurrent layers " + recurrent + " are not consecutive, so they "
                    + "are not one stack; import each run of them with fromLayers(network, first, last)");
        }
        return of(network, first, last);
    }

    /** Layers {@code first} to {@code last} (inclusive) of {@code network}, which must form one stack. */
    static RecurrentLayers of(MultiLayerNetwork network, int first, int last) {
        if (first < 0 || last < first || last >= network.getnLayers()) {
            throw new IndexOutOfBoundsException("layers " + first + ".." + last + " of a network of "
                    + network.getnLayers() + " layers");
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            Layer layer = layerOrNull(network, i);
            if (layer == null) {
                throw new IllegalArgumentException("layer " + i + " is a "
                        + network.getLayerWiseConfigurations().getConf(i).getLayer().getClass().getSimpleName()
                        + ", not an LSTM, GravesLSTM or Bidirectional LSTM layer");
            }
            layers.add(layer);
        }
        RnnSpec spec = stackSpec(layers);
        List<Block> blocks = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            for (int dir = 0; dir < spec.directions(); dir++) {
                String prefix = layers.get(k).index + "_" + (spec.bidirectional() ? (dir == 0 ? "f" : "b") : "");
                blocks.add(new Block(prefix, "_l" + k + (dir == 1 ? "_reverse" : ""), spec.layerInputSize(k),
                        spec.hiddenSize(), spec.cell() == CellType.PEEPHOLE_LSTM));
            }
        }
        return new RecurrentLayers(spec, layers.get(0).format, layers.stream().map(l -> l.index).toList(),
                List.copyOf(blocks));
    }

    /** One recurrent layer as DL4J configured it: the LSTM inside any wrapper, and its direction count. */
    private record Layer(int index, AbstractLSTM lstm, boolean bidirectional, RnnFormat format) {
        CellType cell() {
            return lstm instanceof GravesLSTM ? CellType.PEEPHOLE_LSTM : CellType.LSTM;
        }

        int hidden() {
            return (int) lstm.getNOut();
        }

        int input() {
            return (int) lstm.getNIn();
        }

        int output() {
            return hidden() * (bidirectional ? 2 : 1);
        }
    }

    /** Layer {@code i} as a recurrent layer lstm4j runs, null when it is not recurrent, or refused by name. */
    private static Layer layerOrNull(MultiLayerNetwork network, int i) {
        org.deeplearning4j.nn.conf.layers.Layer conf = network.getLayerWiseConfigurations().getConf(i).getLayer();
        if (conf instanceof LastTimeStep wrapper) {
            conf = wrapper.getUnderlying();
        }
        boolean bidirectional = false;
        if (conf instanceof Bidirectional bi) {
            if (bi.getMode() != Bidirectional.Mode.CONCAT) {
                throw new IllegalArgumentException("layer " + i + " is Bidirectional with mode " + bi.getMode()
                        + "; lstm4j concatenates the two directions (mode CONCAT) and has no " + bi.getMode());
            }
            conf = bi.getFwd();
            bidirectional = true;
        }
        if (conf.getClass().getSimpleName().equals("GravesBidirectionalLSTM")) {
            throw new IllegalArgumentException("layer " + i + " is the deprecated GravesBidirectionalLSTM; wrap a "
                    + "GravesLSTM in Bidirectional(CONCAT) instead (same computation, importable)");
        }
        if (!(conf instanceof LSTM) && !(conf instanceof GravesLSTM)) {
            return null;
        }
        AbstractLSTM lstm = (AbstractLSTM) conf;
        if (!(lstm.getActivationFn() instanceof ActivationTanH)) {
            throw new IllegalArgumentException("layer " + i + " uses activation " + lstm.getActivationFn()
                    + " for its cell; lstm4j's LSTM uses tanh");
        }
        if (!(lstm.getGateActivationFn() instanceof ActivationSigmoid)) {
            throw new IllegalArgumentException("layer " + i + " uses gate activation " + lstm.getGateActivationFn()
                    + "; lstm4j's gates use the logistic sigmoid");
        }
        RnnFormat format = lstm.getRnnDataFormat() == RNNFormat.NWC ? RnnFormat.NWC : RnnFormat.NCW;
        return new Layer(i, lstm, bidirectional, format);
    }

    /** The one stack {@code layers} form, or why they do not. */
    private static RnnSpec stackSpec(List<Layer> layers) {
        Layer head = layers.get(0);
        for (int k = 1; k < layers.size(); k++) {
            Layer layer = layers.get(k);
            String mismatch = layer.cell() != head.cell() ? "cell " + layer.cell() + " after " + head.cell()
                    : layer.hidden() != head.hidden() ? layer.hidden() + " units after " + head.hidden()
                    : layer.bidirectional != head.bidirectional ? "a different number of directions"
                    : layer.format != head.format ? "format " + layer.format + " after " + head.format
                    : layer.input() != head.output() ? layer.input() + " inputs, not the previous layer's "
                    + head.output()
                    : null;
            if (mismatch != null) {
                throw new IllegalArgumentException("layers " + head.index + " and " + layer.index + " do not form one "
                        + "stack (layer " + layer.index + " has " + mismatch + "); import them separately with "
                        + "fromLayers");
            }
        }
        return RnnSpec.lstm(head.input(), head.hidden()).cell(head.cell()).numLayers(layers.size())
                .bidirectional(head.bidirectional).build();
    }

    private static List<String> layerNames(MultiLayerNetwork network) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < network.getnLayers(); i++) {
            names.add(network.getLayerWiseConfigurations().getConf(i).getLayer().getClass().getSimpleName());
        }
        return names;
    }
}
