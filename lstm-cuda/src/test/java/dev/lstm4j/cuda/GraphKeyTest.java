package dev.lstm4j.cuda;

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

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command lists the backend plans are the graph cache's keys: a steady training loop must plan lists that
 * repeat exactly (so every step after the first few replays a captured graph), and any change of shape or buffer
 * must change the key (so a graph never runs on stale pointers).
 */
class GraphKeyTest {
    private static final RnnSpec SPEC = RnnSpec.lstm(5, 7).numLayers(2).bidirectional(true).build();

    @Test
    void aSteadyTrainingLoopRepeatsItsCommandListsSoGraphsReplay() {
        HostDevice device = new HostDevice();
        try (CudaBackend backend = new CudaBackend(device);
             Rnn rnn = backend.rnn(SPEC, DType.FLOAT32);
             Parameters w = rnn.initParameters(3);
             Parameters g = rnn.newParameters();
             Tensor x = backend.allocate(DType.FLOAT32, 6, 4, 5);
             Tensor dy = backend.allocate(DType.FLOAT32, 6, 4, 14)) {
            int perStep = -1;
            for (int step = 0; step < 6; step++) {
                int before = device.replayableLists().size();
                try (TrainingForward f = rnn.forwardTraining(w, RnnInputs.of(x).withLengths(6, 2, 5, 1));
                     InputGradients ig = rnn.backwardData(f.reserve(), OutputGradients.ofOutput(dy))) {
                    rnn.backwardWeights(f.reserve(), g);
                }
                perStep = device.replayableLists().size() - before;
            }
            assertEquals(3, perStep, "forward, backwardData and backwardWeights, one list each");
            List<List<Command>> lists = device.replayableLists();
            int n = lists.size();
            for (int k = 0; k < perStep; k++) {
                assertEquals(lists.get(n - 1 - k), lists.get(n - 1 - k - perStep),
                        "list " + k + " of the last step equals the step before's");
            }
            long distinct = lists.stream().distinct().count();
            assertTrue(distinct <= 2 * perStep, distinct + " distinct lists in 6 steps: the steady state must "
                    + "repeat from the second step on");
        }
    }

    /** The dropout seed travels in device memory, not in the commands: a new seed per step keeps the key. */
    @Test
    void trainingStepsWithDifferentDropoutSeedsShareTheirGraphs() {
        HostDevice device = new HostDevice();
        RnnSpec spec = RnnSpec.lstm(5, 7).numLayers(2).dropout(0.3).build();
        try (CudaBackend backend = new CudaBackend(device);
             Rnn rnn = backend.rnn(spec, DType.FLOAT32);
             Parameters w = rnn.initParameters(3);
             Parameters g = rnn.newParameters();
             Tensor x = backend.allocate(DType.FLOAT32, 6, 4, 5);
             Tensor dy = backend.allocate(DType.FLOAT32, 6, 4, 7)) {
            for (long step = 0; step < 4; step++) {
                try (TrainingForward f = rnn.forwardTraining(w, RnnInputs.of(x).withDropoutSeed(1000 + step));
                     InputGradients ig = rnn.backwardData(f.reserve(), OutputGradients.ofOutput(dy))) {
                    rnn.backwardWeights(f.reserve(), g);
                }
            }
            List<List<Command>> lists = device.replayableLists();
            int n = lists.size();
            for (int k = 1; k <= 3; k++) {
                assertEquals(lists.get(n - k), lists.get(n - k - 3), "list " + k + " from the end, one step apart");
            }
        }
    }

    @Test
    void aDifferentBatchOrBufferChangesTheKey() {
        HostDevice device = new HostDevice();
        try (CudaBackend backend = new CudaBackend(device);
             Rnn rnn = backend.rnn(SPEC, DType.FLOAT32);
             Parameters w = rnn.initParameters(3);
             Tensor x = backend.allocate(DType.FLOAT32, 6, 4, 5);
             Tensor other = backend.allocate(DType.FLOAT32, 6, 4, 5);
             Tensor smaller = backend.allocate(DType.FLOAT32, 6, 3, 5)) {
            infer(rnn, w, x);
            infer(rnn, w, other);
            infer(rnn, w, smaller);
            List<List<Command>> lists = device.replayableLists();
            assertNotEquals(lists.get(0), lists.get(1), "another input tensor");
            assertNotEquals(lists.get(0), lists.get(2), "another batch size");
        }
    }

    private static void infer(Rnn rnn, Parameters w, Tensor x) {
        try (RnnOutputs out = rnn.forwardInference(w, RnnInputs.of(x))) {
            assertEquals(x.dim(1), out.hn().dim(1));
        }
    }
}
