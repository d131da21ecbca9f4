package dev.lstm4j.bench.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LstmToolTest {

    @Test
    void noSubcommandIsAUsageErrorWithExitCode2() {
        ToolRun run = ToolRun.of();
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Missing subcommand") && run.err().contains("Usage: lstm"), run.err());
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitCode2() {
        ToolRun run = ToolRun.of("bench", "--frobnicate");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--frobnicate"), run.err());
    }

    @Test
    void helpListsTheSubcommands() {
        ToolRun run = ToolRun.of("--help");
        assertEquals(0, run.exitCode());
        for (String sub : new String[] {"info", "bench", "run"}) {
            assertTrue(run.out().contains(sub), run.out());
        }
    }

    @Test
    void versionNamesLstm4j() {
        ToolRun run = ToolRun.of("--version");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().startsWith("lstm4j "), run.out());
    }
}
