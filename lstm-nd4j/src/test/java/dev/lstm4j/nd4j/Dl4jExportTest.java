package dev.lstm4j.nd4j;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.io.NdArray;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lstm4j's weights written into DL4J networks: DL4J then computes lstm4j's outputs, and import gives them back. */
class Dl4jExportTest {
    private static Backend cpu;

    @BeforeAll
    static void backend() {
        cpu = Backends.select("cpu");
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    private static MultiLayerNetwork network(Layer... layers) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).list();
        for (int i = 0; i < layers.length; i++) {
            list.layer(i, layers[i]);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    @Test
    void dl4jComputesWhatLstm4jComputesWithExportedWeights() {
        MultiLayerNetwork net = network(
                new Bidirectional(Bidirectional.Mode.CONCAT, new GravesLSTM.Builder().nIn(3).nOut(4)
                        .activation(Activation.TANH).build()),
                new Bidirectional(Bidirectional.Mode.CONCAT, new GravesLSTM.Builder().nIn(8).nOut(4)
                        .activation(Activation.TANH).build()));
        RnnSpec spec = Dl4jImport.fromNetwork(net).spec();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 6);   // NCW
        try (Rnn rnn = cpu.rnn(spec, DType.FLOAT64);
             Parameters weights = rnn.initParameters(17);
             Tensor xt = Nd4jTensors.sequenceToTensor(cpu, x, RnnFormat.NCW)) {
            weights.write("bias_hh_l1", weights.readDoubles("bias_ih_l0_reverse"));   // both biases nonzero
            try (RnnOutputs out = rnn.forwardInference(weights, RnnInputs.of(xt))) {
                Dl4jExport.copyInto(weights, net);
                INDArray dl4j = net.output(x);
                INDArray lstm4j = Nd4jTensors.sequenceFromTensor(out.y(), RnnFormat.NCW);
                assertTrue(dl4j.equalsWithEps(lstm4j, 1e-10), "DL4J's output differs from lstm4j's");
            }
            // import of what was exported: weights unchanged, except that the two biases come back as one
            Map<String, NdArray> back = Dl4jImport.fromNetwork(net).weights();
            for (String name : weights.names()) {
                double[] expected = weights.readDoubles(name);
                if (name.startsWith("bias_ih")) {
                    double[] other = weights.readDoubles(name.replace("bias_ih", "bias_hh"));
                    for (int i = 0; i < expected.length; i++) {
                        expected[i] += other[i];
                    }
                } else if (name.startsWith("bias_hh")) {
                    expected = new double[expected.length];
                }
                assertArrayEquals(expected, back.get(name).toDoubles(), 1e-15, name);
            }
        }
    }

    @Test
    void missingOrMisshapenWeightsAreRefusedByName() {
        MultiLayerNetwork net = network(new LSTM.Builder().nIn(2).nOut(3).activation(Activation.TANH).build());
        Map<String, NdArray> weights = new LinkedHashMap<>(Dl4jImport.fromNetwork(net).weights());
        weights.remove("bias_hh_l0");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Dl4jExport.copyInto(weights, net));
        assertTrue(missing.getMessage().contains("bias_hh_l0"), missing.getMessage());
        weights.put("bias_hh_l0", NdArray.of(new float[11], 11));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> Dl4jExport.copyInto(weights, net));
        assertTrue(shape.getMessage().contains("[11]") && shape.getMessage().contains("[12]"), shape.getMessage());
    }
}
