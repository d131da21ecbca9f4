package dev.lstm4j.nd4j;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.CellType;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.io.ParameterFiles;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dl4jImportTest {
    private static Backend cpu;

    @TempDir
    Path dir;

    @BeforeAll
    static void backend() {
        cpu = Backends.select("cpu");
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    private static MultiLayerNetwork network(DataType type, Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(3).dataType(type).list();
        for (int i = 0; i < layers.length; i++) {
            list.layer(i, layers[i]);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static LSTM lstm(int in, int out) {
        return new LSTM.Builder().nIn(in).nOut(out).activation(Activation.TANH).build();
    }

    private static RnnOutputLayer head(int in) {
        return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(in).nOut(2)
                .activation(Activation.IDENTITY).build();
    }

    @Test
    void theRecurrentLayersOfANetworkWithAHeadBecomeOneStack() {
        MultiLayerNetwork net = network(DataType.FLOAT, lstm(3, 5), lstm(5, 5), head(5));
        ImportedRecurrent imported = Dl4jImport.fromNetwork(net);
        assertEquals(RnnSpec.lstm(3, 5).numLayers(2).build(), imported.spec());
        assertEquals(List.of(0, 1), imported.layers());
        assertEquals(RnnFormat.NCW, imported.format());
        assertEquals(new ParameterLayout(imported.spec()).names(), List.copyOf(imported.weights().keySet()));
        assertArrayEquals(new long[] {20, 3}, imported.weights().get("weight_ih_l0").shape());
        // DL4J's forget-gate bias (1.0 by default) lands in PyTorch's f rows of bias_ih; bias_hh stays zero
        float[] bias = imported.weights().get("bias_ih_l1").floats();
        for (int j = 0; j < 5; j++) {
            assertEquals(1f, bias[5 + j]);
            assertEquals(0f, bias[j]);
        }
        assertArrayEquals(new float[20], imported.weights().get("bias_hh_l1").floats());
    }

    @Test
    void aSavedModelFileImportsLikeTheNetworkAndKeepsDoublePrecision() throws IOException {
        MultiLayerNetwork net = network(DataType.DOUBLE, new Bidirectional(Bidirectional.Mode.CONCAT,
                new GravesLSTM.Builder().nIn(2).nOut(3).activation(Activation.TANH).build()), head(6));
        Path zip = dir.resolve("model.zip");
        ModelSerializer.writeModel(net, zip.toFile(), false);
        ImportedRecurrent fromFile = Dl4jImport.fromModelFile(zip);
        ImportedRecurrent fromNetwork = Dl4jImport.fromNetwork(net);
        assertEquals(fromNetwork, fromFile);
        assertEquals(CellType.PEEPHOLE_LSTM, fromFile.spec().cell());
        assertTrue(fromFile.spec().bidirectional());
        assertArrayEquals(new long[] {3, 3}, fromFile.weights().get("weight_peephole_l0_reverse").shape());
        assertArrayEquals(fromNetwork.weights().get("weight_hh_l0").doubles(),
                fromFile.weights().get("weight_hh_l0").doubles());
        assertThrows(IOException.class, () -> Dl4jImport.fromModelFile(dir.resolve("missing.zip")));
    }

    @Test
    void lastTimeStepWrappersAndNwcLayersImport() {
        LSTM nwc = new LSTM.Builder().nIn(4).nOut(3).activation(Activation.TANH).dataFormat(RNNFormat.NWC).build();
        MultiLayerNetwork net = network(DataType.FLOAT, new LastTimeStep(nwc),
                new DenseLayer.Builder().nIn(3).nOut(2).build());
        ImportedRecurrent imported = Dl4jImport.fromNetwork(net);
        assertEquals(RnnSpec.lstm(4, 3).build(), imported.spec());
        assertEquals(RnnFormat.NWC, imported.format());
    }

    @Test
    void theExportLoadsIntoParametersAndKeepsItsSpec() throws IOException {
        MultiLayerNetwork net = network(DataType.FLOAT, new GravesLSTM.Builder().nIn(3).nOut(4)
                .activation(Activation.TANH).build(), head(4));
        ImportedRecurrent imported = Dl4jImport.fromNetwork(net);
        Path file = dir.resolve("lstm.safetensors");
        imported.save(file);
        assertEquals(imported.spec(), ParameterFiles.inferSpec(file));
        try (Parameters direct = imported.toParameters(cpu, DType.FLOAT32);
             Parameters loaded = new Parameters(new ParameterLayout(imported.spec()),
                     cpu.allocate(DType.FLOAT32, new ParameterLayout(imported.spec()).totalSize()))) {
            ParameterFiles.load(file, loaded);
            for (String name : direct.names()) {
                assertArrayEquals(direct.readFloats(name), loaded.readFloats(name), name);
                assertArrayEquals(imported.weights().get(name).floats(), direct.readFloats(name), name);
            }
        }
    }

    @Test
    void whatLstm4jWouldComputeDifferentlyIsRefusedByName() {
        MultiLayerNetwork added = network(DataType.FLOAT, new Bidirectional(Bidirectional.Mode.ADD, lstm(2, 3)));
        assertRefused(added, "mode ADD");
        MultiLayerNetwork hard = network(DataType.FLOAT, new LSTM.Builder().nIn(2).nOut(3).activation(Activation.TANH)
                .gateActivationFunction(Activation.HARDSIGMOID).build());
        assertRefused(hard, "gate activation");
        MultiLayerNetwork relu = network(DataType.FLOAT, new LSTM.Builder().nIn(2).nOut(3)
                .activation(Activation.RELU).build());
        assertRefused(relu, "tanh");
        MultiLayerNetwork widths = network(DataType.FLOAT, lstm(2, 3), lstm(3, 4));
        assertRefused(widths, "do not form one stack");
        MultiLayerNetwork apart = network(DataType.FLOAT, lstm(2, 3), new DenseLayer.Builder().nIn(3).nOut(3)
                .build(), lstm(3, 3));
        assertRefused(apart, "not consecutive");
        MultiLayerNetwork none = network(DataType.FLOAT, new DenseLayer.Builder().nIn(3).nOut(3).build());
        assertRefused(none, "no LSTM");
        // a run of layers that does form a stack imports on its own
        assertEquals(RnnSpec.lstm(3, 3).build(), Dl4jImport.fromLayers(apart, 2, 2).spec());
        assertThrows(IndexOutOfBoundsException.class, () -> Dl4jImport.fromLayers(apart, 2, 3));
    }

    private static void assertRefused(MultiLayerNetwork net, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dl4jImport.fromNetwork(net));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }
}
