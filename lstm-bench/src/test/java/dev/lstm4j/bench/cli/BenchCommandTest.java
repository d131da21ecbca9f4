package dev.lstm4j.bench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lstm4j.bench.BenchSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A smoke run of {@code lstm bench} on the CPU backend (its timings are not asserted: tests are not benchmarks). */
class BenchCommandTest {

    @Test
    void quickRunPrintsATableAndWritesSchemaConformingJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("out/bench.json");
        ToolRun run = ToolRun.of("bench", "--quick", "--config", "small", "--threads", "1", "--no-peers",
                "--json", json.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("training step, 1 thread") && run.out().contains("inference, 1 thread"),
                run.out());
        assertTrue(run.out().contains("ceiling: cpu sgemm 2048^3"), run.out());
        assertTrue(run.err().contains("lstm4j cpu small train"), "progress on stderr:\n" + run.err());

        JsonNode root = BenchSchema.validate(Files.readString(json));
        assertEquals(2, root.get("results").size());
        JsonNode train = root.get("results").get(1);
        assertEquals("train", train.get("mode").asText());
        assertEquals("ok", train.get("status").asText());
        assertEquals(3 * 2.0 * 25 * 16 * 4 * 128 * 256, train.get("flops").asDouble());
        assertTrue(root.get("provenance").has("env.OPENBLAS_CORETYPE"));
        assertTrue(root.get("provenance").has("backend.cpu.blas.core"), root.get("provenance").toString());
    }

    @Test
    void unknownConfigurationIsAUsageError() {
        ToolRun run = ToolRun.of("bench", "--config", "gigantic", "--no-peers");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("unknown benchmark configuration 'gigantic'"), run.err());
    }

    @Test
    void unknownModeIsAUsageError() {
        ToolRun run = ToolRun.of("bench", "--mode", "sideways", "--no-peers");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("unknown mode 'sideways'"), run.err());
    }

    @Test
    void unknownBackendFailsWithOneLine() {
        ToolRun run = ToolRun.of("bench", "--backend", "tpu", "--config", "small", "--no-peers", "--quick",
                "--threads", "1");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("backend 'tpu'") && !run.err().contains("\tat "), run.err());
    }
}
