package dev.lstm4j.nd4j;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.Tensor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's "Coming from Deeplearning4j" example, run as printed on a saved two-layer model. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void readmeExampleRunsOnASavedModel() throws Exception {
        MultiLayerNetwork saved = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new LSTM.Builder().nIn(8).nOut(16).activation(Activation.TANH).build())
                .layer(new LSTM.Builder().nIn(16).nOut(16).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(16).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        saved.init();
        Path zip = dir.resolve("model.zip");
        ModelSerializer.writeModel(saved, zip.toFile(), false);
        INDArray features = Nd4j.rand(DataType.FLOAT, 4, 8, 10);                   // NCW [B, F, T]
        INDArray featuresMask = Nd4jTensors.maskFromLengths(new int[] {10, 7, 3, 10}, 10, DataType.FLOAT);
        File modelZip = zip.toFile();
        Path exported = dir.resolve("lstm.safetensors");

        // README, "Coming from Deeplearning4j":
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(modelZip);
        ImportedRecurrent layers = Dl4jImport.fromNetwork(net);      // the LSTM layers as one lstm4j stack
        layers.save(exported);                                        // safetensors, PyTorch's names
        try (Backend backend = Backends.select();
             Rnn lstm = backend.rnn(layers.spec(), DType.FLOAT32);
             Parameters weights = layers.toParameters(backend, DType.FLOAT32);
             Tensor x = Nd4jTensors.sequenceToTensor(backend, features, layers.format());   // -> [T, B, F]
             RnnOutputs out = lstm.forwardInference(weights,
                     RnnInputs.of(x).withLengths(Nd4jTensors.lengthsFromMask(featuresMask)))) {
            INDArray y = Nd4jTensors.sequenceFromTensor(out.y(), layers.format());          // DL4J's [B, H, T]
            // end of the README's code

            assertArrayEquals(new long[] {4, 16, 10}, y.shape());
            INDArray dl4j = net.feedForward(features, false).get(2);   // the second LSTM layer's output
            for (int b = 0; b < 4; b++) {
                int length = new int[] {10, 7, 3, 10}[b];
                for (int t = 0; t < 10; t++) {
                    for (int h = 0; h < 16; h++) {
                        double expected = t < length ? dl4j.getDouble(b, h, t) : 0;
                        assertEquals(expected, y.getDouble(b, h, t), 2e-6, "b=" + b + " h=" + h + " t=" + t);
                    }
                }
            }
        }
        assertTrue(Files.size(exported) > 16 * 4 * (8 + 16 + 16 + 16) * 4);
    }
}
