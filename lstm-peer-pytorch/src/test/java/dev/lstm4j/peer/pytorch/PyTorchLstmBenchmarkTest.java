package dev.lstm4j.peer.pytorch;

import dev.lstm4j.peer.StackShape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JMH benchmark's configuration table and its setup, iteration and teardown outside JMH. */
class PyTorchLstmBenchmarkTest {

    @Test
    void configNamesResolveToLstmBenchShapes() {
        assertEquals(StackShape.of(50, 32, 256, 256), PyTorchLstmBenchmark.shape("medium"));
        assertEquals(StackShape.of(100, 64, 512, 512), PyTorchLstmBenchmark.shape("fastrnns"));
        assertEquals(new StackShape(50, 32, 256, 256, 2, false), PyTorchLstmBenchmark.shape("medium-2layer"));
        assertEquals(new StackShape(50, 32, 256, 256, 1, true), PyTorchLstmBenchmark.shape("medium-bidir"));
        assertEquals(StackShape.of(25, 128, 2048, 2048), PyTorchLstmBenchmark.shape("deepbench-h2048-b128"));
        assertEquals(StackShape.of(25, 16, 512, 512), PyTorchLstmBenchmark.shape("deepbench-h512-b16"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PyTorchLstmBenchmark.shape("huge"));
        assertTrue(e.getMessage().contains("huge") && e.getMessage().contains("medium-bidir"), e.getMessage());
    }

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
