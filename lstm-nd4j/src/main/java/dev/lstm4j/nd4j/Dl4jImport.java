package dev.lstm4j.nd4j;

import dev.lstm4j.api.CellType;
import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.io.NdArray;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports the recurrent layers of a Deeplearning4j {@link MultiLayerNetwork} into lstm4j: {@code LSTM} (lstm4j's
 * LSTM), {@code GravesLSTM} (lstm4j's peephole LSTM) and either of them wrapped in {@code Bidirectional} (mode
 * CONCAT, as lstm4j and PyTorch concatenate the directions) or {@code LastTimeStep} (the import covers the
 * recurrent weights; the last step is then the caller's to take). Consecutive layers of one kind, width and
 * direction count become one multi-layer stack.
 *
 * <p>What lstm4j computes must be what DL4J computed, so layers that differ are refused by name rather than
 * approximated: activations other than tanh (cell) and sigmoid (gates), other bidirectional modes, and the
 * deprecated {@code GravesBidirectionalLSTM}. Input dropout and weight noise, which act only in training, are
 * not carried over. DL4J's single bias becomes {@code bias_ih}; {@code bias_hh} is zero.
 */
public final class Dl4jImport {
    private Dl4jImport() {
    }

    /** Every recurrent layer of {@code network}; they must be consecutive and form one stack. */
    public static ImportedRecurrent fromNetwork(MultiLayerNetwork network) {
        List<Integer> recurrent = new ArrayList<>();
        for (int i = 0; i < network.getnLayers(); i++) {
            if (recurrentOrNull(network, i) != null) {
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
        return fromLayers(network, first, last);
    }

    /** Layers {@code first} to {@code last} (inclusive) of {@code network}, which must form one stack. */
    public static ImportedRecurrent fromLayers(MultiLayerNetwork network, int first, int last) {
        if (first < 0 || last < first || last >= network.getnLayers()) {
            throw new IndexOutOfBoundsException("layers " + first + ".." + last + " of a network of "
                    + network.getnLayers() + " layers");
        }
        List<Recurrent> layers = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            Recurrent r = recurrentOrNull(network, i);
            if (r == null) {
                throw new IllegalArgumentException("layer " + i + " is a "
                        + network.getLayerWiseConfigurations().getConf(i).getLayer().getClass().getSimpleName()
                        + ", not an LSTM, GravesLSTM or Bidirectional LSTM layer");
            }
            layers.add(r);
        }
        RnnSpec spec = stackSpec(layers);
        DataType precision = network.params().dataType();
        Map<String, NdArray> weights = new LinkedHashMap<>();
        for (int k = 0; k < layers.size(); k++) {
            Recurrent layer = layers.get(k);
            for (int dir = 0; dir < spec.directions(); dir++) {
                String prefix = layer.index + "_" + (spec.bidirectional() ? (dir == 0 ? "f" : "b") : "");
                putLayer(weights, network, prefix, layer, k, dir, precision);
            }
        }
        Map<String, NdArray> ordered = new LinkedHashMap<>();
        for (String name : new ParameterLayout(spec).names()) {
            ordered.put(name, weights.get(name));
        }
        List<Integer> indices = layers.stream().map(r -> r.index).toList();
        return new ImportedRecurrent(spec, ordered, layers.get(0).format, indices);
    }

    /** The recurrent layers of a model saved by DL4J's {@code ModelSerializer} (a MultiLayerNetwork zip). */
    public static ImportedRecurrent fromModelFile(Path zip) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IOException("no DL4J model file at " + zip);
        }
        return fromNetwork(ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false));
    }

    /** One recurrent layer as DL4J configured it: the LSTM inside any wrapper, and its direction count. */
    private record Recurrent(int index, AbstractLSTM lstm, boolean bidirectional, RnnFormat format) {
        CellType cell() {
            return lstm instanceof GravesLSTM ? CellType.PEEPHOLE_LSTM : CellType.LSTM;
        }

        int hidden() {
            return (int) lstm.getNOut();
        }

        int input() {
            return (int) lstm.getNIn();
        }
    }

    /** Layer {@code i} as a recurrent layer lstm4j runs, null when it is not recurrent, or refused by name. */
    private static Recurrent recurrentOrNull(MultiLayerNetwork network, int i) {
        Layer conf = network.getLayerWiseConfigurations().getConf(i).getLayer();
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
        return new Recurrent(i, lstm, bidirectional, format);
    }

    /** The one stack {@code layers} form, or why they do not. */
    private static RnnSpec stackSpec(List<Recurrent> layers) {
        Recurrent head = layers.get(0);
        for (int k = 1; k < layers.size(); k++) {
            Recurrent layer = layers.get(k);
            String mismatch = layer.cell() != head.cell() ? "cell " + layer.cell() + " after " + head.cell()
                    : layer.hidden() != head.hidden() ? layer.hidden() + " units after " + head.hidden()
                    : layer.bidirectional != head.bidirectional ? "a different number of directions"
                    : layer.format != head.format ? "format " + layer.format + " after " + head.format
                    : layer.input() != head.hidden() * (head.bidirectional ? 2 : 1)
                    ? layer.input() + " inputs, not the previous layer's " + head.hidden() * (head.bidirectional ? 2 : 1)
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

    private static void putLayer(Map<String, NdArray> weights, MultiLayerNetwork network, String prefix,
                                 Recurrent layer, int k, int dir, DataType precision) {
        int hidden = layer.hidden();
        int in = layer.input();
        boolean peephole = layer.cell() == CellType.PEEPHOLE_LSTM;
        int recurrentColumns = Dl4jGates.GATES * hidden + (peephole ? 3 : 0);
        double[] w = param(network, prefix + "W", (long) in * Dl4jGates.GATES * hidden);
        double[] rw = param(network, prefix + "RW", (long) hidden * recurrentColumns);
        double[] b = param(network, prefix + "b", (long) Dl4jGates.GATES * hidden);
        String suffix = "_l" + k + (dir == 1 ? "_reverse" : "");
        int gateRows = Dl4jGates.GATES * hidden;
        weights.put("weight_ih" + suffix, array(Dl4jGates.toTorch(w, in, gateRows, hidden), precision, gateRows, in));
        weights.put("weight_hh" + suffix, array(Dl4jGates.toTorch(rw, hidden, recurrentColumns, hidden), precision,
                gateRows, hidden));
        weights.put("bias_ih" + suffix, array(Dl4jGates.toTorch(b, 1, gateRows, hidden), precision, gateRows));
        weights.put("bias_hh" + suffix, array(new double[gateRows], precision, gateRows));
        if (peephole) {
            weights.put("weight_peephole" + suffix, array(Dl4jGates.peepholes(rw, hidden), precision, 3, hidden));
        }
    }

    /** The network's parameter {@code key}, row-major in double, checked to have {@code size} elements. */
    private static double[] param(MultiLayerNetwork network, String key, long size) {
        INDArray value = network.paramTable().get(key);
        if (value == null) {
            throw new IllegalStateException("the network has no parameter " + key + "; it has "
                    + network.paramTable().keySet());
        }
        if (value.length() != size) {
            throw new IllegalStateException("parameter " + key + " has shape " + java.util.Arrays.toString(value.shape())
                    + ", expected " + size + " elements");
        }
        return value.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static NdArray array(double[] values, DataType precision, long... shape) {
        if (precision == DataType.DOUBLE) {
            return NdArray.of(values, shape);
        }
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return NdArray.of(floats, shape);
    }

    private static List<String> layerNames(MultiLayerNetwork network) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < network.getnLayers(); i++) {
            names.add(network.getLayerWiseConfigurations().getConf(i).getLayer().getClass().getSimpleName());
        }
        return names;
    }
}
