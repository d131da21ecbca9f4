package dev.lstm4j.cpu;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.InputGradients;
import dev.lstm4j.api.OutputGradients;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Rnn;
import dev.lstm4j.api.RnnInputs;
import dev.lstm4j.api.RnnOutputs;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.TrainingForward;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The README's "Using it" example, kept compiling and running so the README stays true. */
class ReadmeExampleTest {

    @Test
    void readmeExampleRunsAndProducesTheDocumentedShapes() {
        int seqLen = 6;
        int batch = 3;
        float[] inputs = new float[seqLen * batch * 64];
        float[] outputGrads = new float[seqLen * batch * 256];
        for (int k = 0; k < inputs.length; k++) {
            inputs[k] = (float) Math.sin(k);
        }
        java.util.Arrays.fill(outputGrads, 0.01f);
        int[] lengths = {6, 4, 1};

        RnnSpec spec = RnnSpec.lstm(64, 128).numLayers(2).bidirectional(true).build();
        try (Backend backend = Backends.select();
             Rnn lstm = backend.rnn(spec, DType.FLOAT32);
             Parameters w = lstm.initParameters(42);
             Parameters grads = lstm.newParameters();
             Tensor x = backend.tensor(inputs, seqLen, batch, 64);
             Tensor dy = backend.tensor(outputGrads, seqLen, batch, 256)) {
            try (RnnOutputs out = lstm.forwardInference(w, RnnInputs.of(x).withLengths(lengths))) {
                float[] y = out.y().toFloatArray();
                assertEquals(seqLen * batch * 256, y.length);
                assertArrayEquals(new long[] {4, batch, 128}, out.hn().shape());
            }
            try (TrainingForward fwd = lstm.forwardTraining(w, RnnInputs.of(x));
                 InputGradients g = lstm.backwardData(fwd.reserve(), OutputGradients.ofOutput(dy))) {
                lstm.backwardWeights(fwd.reserve(), grads);
                assertArrayEquals(x.shape(), g.dx().shape());
            }
            assertNotEquals(0.0, grads.readFloats("weight_hh_l1_reverse")[0]);
        }
    }

    @Test
    void readmeParameterFileExampleRoundTripsThroughAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path path = dir.resolve("model.safetensors");
        RnnSpec original = RnnSpec.lstm(5, 6).numLayers(2).bidirectional(true).build();
        try (Backend backend = Backends.select("cpu")) {
            try (Rnn rnn = backend.rnn(original, DType.FLOAT32); Parameters w = rnn.initParameters(3)) {
                dev.lstm4j.api.io.ParameterFiles.save(w, path);
            }
            RnnSpec spec = dev.lstm4j.api.io.ParameterFiles.inferSpec(path);
            assertEquals(original, spec);
            try (Rnn lstm = backend.rnn(spec, DType.FLOAT32);
                 Parameters w = lstm.newParameters();
                 Parameters expected = lstm.initParameters(3)) {
                dev.lstm4j.api.io.ParameterFiles.load(path, w);
                for (String name : w.names()) {
                    assertArrayEquals(expected.readFloats(name), w.readFloats(name), name);
                }
            }
            assertEquals(0, backend.liveBytes());
        }
    }
}
