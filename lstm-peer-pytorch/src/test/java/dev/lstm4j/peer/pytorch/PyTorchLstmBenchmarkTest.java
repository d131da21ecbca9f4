package dev.lstm4j.peer.pytorch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The JMH benchmark's setup, iteration and teardown outside JMH. */
class PyTorchLstmBenchmarkTest {

    @Test
    void benchmarkIterationOfTrainModeComputesTheInputGradient() {
        PyTorchLstmBenchmark bench = new PyTorchLstmBenchmark();
        bench.config = "small";
        bench.mode = "train";
        bench.threads = 1;
        bench.setUp();
        try {
            bench.iteration();
            bench.iteration();
            assertArrayEquals(new long[] {25, 16, 128}, bench.preparedRun().inputGradient().shape());
        } finally {
            bench.tearDown();
        }
    }
}
