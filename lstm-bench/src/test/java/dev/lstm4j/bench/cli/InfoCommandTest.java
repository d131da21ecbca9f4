package dev.lstm4j.bench.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfoCommandTest {

    @Test
    void listsTheCpuBackendAsAvailableAndSelected() {
        ToolRun run = ToolRun.of("info");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().matches("(?s).*cpu\\s+priority\\s+100\\s+available.*"), run.out());
        assertTrue(run.out().contains("Selected: cpu"), run.out());
        assertTrue(run.out().contains("blas.threads"), run.out());
    }

    @Test
    void explainsWhyCudaIsNotAvailable() {
        ToolRun run = ToolRun.of("info");
        assertTrue(run.out().matches("(?s).*\\n\\s+cuda\\s+\\S.*"), "a line for cuda with its reason:\n" + run.out());
    }

    @Test
    void listsEverySettingWithItsVariable() {
        ToolRun run = ToolRun.of("info");
        for (String s : new String[] {"lstm.backend", "LSTM_BACKEND", "lstm.cpu.threads", "lstm.bench.peers",
                "OPENBLAS_CORETYPE"}) {
            assertTrue(run.out().contains(s), s + " missing from:\n" + run.out());
        }
    }
}
