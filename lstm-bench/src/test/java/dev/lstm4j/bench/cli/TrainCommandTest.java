package dev.lstm4j.bench.cli;

import dev.lstm4j.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {

    @Test
    void addingWritesProgressTheTestErrorAndJson(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("out/adding.json");
        ToolRun run = ToolRun.of("train", "adding", "--seq-len", "8", "--hidden", "8", "--batch", "8", "--steps",
                "30", "--validate-every", "10", "--backend", "cpu", "--json", json.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("30/30") && run.err().contains("tokens/s"), run.err());
        assertTrue(run.out().matches("(?s)test MSE \\d+\\.\\d+ after 30 steps \\(step_budget\\).*"), run.out());
        String report = Files.readString(json);
        for (String field : new String[] {"\"schema\": \"lstm4j-train/1\"", "\"task\": \"adding\"",
                "\"stop\": \"STEP_BUDGET\"", "\"steps\": 30", "\"test_mse\"", "\"training_loss\""}) {
            assertTrue(report.contains(field), field + " missing from:\n" + report);
        }
        assertEquals(3, report.split("\"training_loss\"").length - 1, "three curve points:\n" + report);
        assertTrue(Files.size(json) > 0);
    }

    @Test
    void aRunResumedFromItsCheckpointEndsBitIdenticalToAnUninterruptedOne(@TempDir Path dir) throws IOException {
        Path straight = dir.resolve("straight.safetensors");
        Path cut = dir.resolve("cut.safetensors");
        ToolRun whole = adding("--checkpoint", straight.toString());
        assertEquals(0, whole.exitCode(), whole.err());
        ToolRun first = adding("--time-limit", "1e-9", "--checkpoint", cut.toString());
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains("after 1 steps (time_limit)"), first.out());
        ToolRun resumed = adding("--checkpoint", cut.toString(), "--resume");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.err().contains("resumed from " + cut + " at step 1"), resumed.err());

        Checkpoint a = Checkpoint.load(straight);
        Checkpoint b = Checkpoint.load(cut);
        assertEquals(12, a.step());
        assertEquals(12, b.step());
        for (String name : a.model().keySet()) {
            assertArrayEquals(a.model().get(name).floats(), b.model().get(name).floats(), 0f, name);
        }
        for (String name : a.optimizer().keySet()) {
            assertArrayEquals(a.optimizer().get(name).floats(), b.optimizer().get(name).floats(), 0f, name);
        }
        assertEquals(1, adding("--resume").exitCode(), "--resume without --checkpoint");
    }

    /** A 12-step adding run on tiny sizes, plus {@code extra} options. */
    private static ToolRun adding(String... extra) {
        String[] common = {"train", "adding", "--seq-len", "6", "--hidden", "5", "--batch", "4", "--steps", "12",
                "--validate-every", "5", "--backend", "cpu", "--target-mse", "0"};
        String[] args = java.util.Arrays.copyOf(common, common.length + extra.length);
        System.arraycopy(extra, 0, args, common.length, extra.length);
        return ToolRun.of(args);
    }

    @Test
    void charlmTrainsOnAFileReportsBitsPerCharacterAndDrawsTheCurves(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("corpus.txt");
        Files.writeString(text, "the cat sat on the mat. ".repeat(200));
        Path json = dir.resolve("charlm.json");
        Path plot = dir.resolve("charlm.png");
        ToolRun run = ToolRun.of("train", "charlm", "--text", text.toString(), "--hidden", "16", "--layers", "1",
                "--embedding", "8", "--seq-len", "12", "--batch", "4", "--steps", "40", "--validate-every", "20",
                "--validation-chars", "500", "--sample-length", "30", "--backend", "cpu", "--json", json.toString(),
                "--plot", plot.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().matches("(?s)validation \\d+\\.\\d+ bits/char after 40 steps.*sample.*"), run.out());
        assertTrue(Files.readString(json).contains("\"validation_metric\": \"bits_per_char\""));
        byte[] png = Files.readAllBytes(plot);
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    @Test
    void charlmTakesABackwardLengthInWholeSegments(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("corpus.txt");
        Files.writeString(text, "abcabd abcabd ".repeat(100));
        String[] args = {"train", "charlm", "--text", text.toString(), "--hidden", "8", "--layers", "1", "--embedding",
                "4", "--seq-len", "6", "--batch", "2", "--steps", "10", "--validate-every", "5", "--validation-chars",
                "200", "--sample-length", "0", "--backend", "cpu", "--bptt-len"};
        ToolRun ok = ToolRun.of(concat(args, "18"));
        assertEquals(0, ok.exitCode(), ok.err());
        ToolRun bad = ToolRun.of(concat(args, "10"));
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("--bptt-len must be a multiple of --seq-len (6), got 10"), bad.err());
    }

    private static String[] concat(String[] args, String last) {
        String[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = last;
        return out;
    }

    @Test
    void anUnknownCellIsAFailureThatNamesTheChoices() {
        ToolRun run = ToolRun.of("train", "adding", "--cell", "rnn", "--steps", "1");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("lstm, gru or peephole, got rnn"), run.err());
    }
}
