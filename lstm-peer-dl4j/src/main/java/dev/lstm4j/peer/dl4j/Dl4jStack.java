package dev.lstm4j.peer.dl4j;

import dev.lstm4j.peer.StackShape;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * DL4J's network for a {@link StackShape}: {@code numLayers} {@code LSTM} layers (no peepholes, tanh cell and
 * output activation, sigmoid gates), each wrapped in {@code Bidirectional(CONCAT)} for a bidirectional stack,
 * float32, NCW ({@code [B, features, T]}) sequences, and no output layer, so that the network's output is
 * the last LSTM layer's y and external errors can be back-propagated through it.
 */
final class Dl4jStack {

    private Dl4jStack() {
    }

    static MultiLayerNetwork build(StackShape shape) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .seed(0)
                // DL4J's defaults, spelled out: arrays reused across iterations instead of freed by the GC.
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .cacheMode(CacheMode.NONE)
                .list();
        for (int layer = 0; layer < shape.numLayers(); layer++) {
            list.layer(layer, layer(shape, layer));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static Layer layer(StackShape shape, int layer) {
        LSTM lstm = new LSTM.Builder()
                .nIn(shape.layerInputSize(layer))
                .nOut(shape.hiddenSize())
                .activation(Activation.TANH)
                .gateActivationFunction(Activation.SIGMOID)
                .dataFormat(RNNFormat.NCW)
                .build();
        return shape.bidirectional() ? new Bidirectional(Bidirectional.Mode.CONCAT, lstm) : lstm;
    }
}
