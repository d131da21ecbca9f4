package dev.lstm4j.bench.cli;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.api.io.Npy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.lstm4j.bench.cli.RunCommandTest.BATCH;
import static dev.lstm4j.bench.cli.RunCommandTest.HIDDEN;
import static dev.lstm4j.bench.cli.RunCommandTest.SEQ_LEN;
import static dev.lstm4j.bench.cli.RunCommandTest.lstm;
import static dev.lstm4j.bench.cli.RunCommandTest.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to {@code lstm run}: usage errors exit 2; bad files exit 1 with one {@code lstm:} line that
 * names the option, the file, what was expected and what was given, and no stack trace unless
 * {@code --debug}.
 */
class RunCommandErrorsTest {

    @TempDir
    Path dir;

    Path model;
    Path x;
    Path out;

    @BeforeEach
    void writeValidFiles() throws IOException {
        RunCommandTest.Case c = new RunCommandTest.Case(dir, spec(false), DType.FLOAT32, null);
        model = c.model;
        x = dir.resolve("x.npy");
        out = dir.resolve("out");
    }

    private String[] run(String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--model", model.toString(), "--input", x.toString(),
                "--out", out.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** Exit 1, one "lstm: ..." line, no stack trace, no output directory; the line. */
    private String failure(ToolRun r) {
        assertEquals(1, r.exitCode(), () -> "exit code; stderr: " + r.err());
        String[] lines = r.err().strip().split("\\R");
        assertTrue(lines[0].startsWith("lstm: "), r.err());
        for (String line : lines) {
            assertFalse(line.strip().startsWith("at "), () -> "stack trace without --debug:\n" + r.err());
        }
        assertEquals(1, lines.length, r.err());
        assertFalse(Files.exists(out), "the output directory was created although the input was bad");
        return lines[0];
    }

    @Test
    void negativeCellClipIsRejectedInOneLine() {
        String line = failure(RunCommandTest.lstm(run("--cell-clip", "-1")));
        assertTrue(line.contains("--cell-clip -1.0: cellClip must be a finite number >= 0"), line);
    }

    @Test
    void missingModelOptionIsAUsageError() {
        ToolRun r = lstm("run", "--input", x.toString(), "--out", out.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--model"), r.err());
    }

    @Test
    void unknownDTypeIsAUsageError() {
        ToolRun r = lstm(run("--dtype", "float16"));
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("float16"), r.err());
    }

    @Test
    void nonexistentModelFileNamesThePath() {
        model = dir.resolve("no-such-model.safetensors");
        String line = failure(lstm(run()));
        assertTrue(line.contains("--model") && line.contains(model.toString()), line);
    }

    @Test
    void malformedModelFileNamesThePath() throws IOException {
        Files.write(model, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        String line = failure(lstm(run()));
        assertTrue(line.contains("--model") && line.contains(model.toString()), line);
    }

    @Test
    void wrongInputSizeNamesBothSizes() throws IOException {
        Npy.write(NdArray.of(new float[SEQ_LEN * BATCH * 6], SEQ_LEN, BATCH, 6), x);
        String line = failure(lstm(run()));
        assertTrue(line.contains("input size 6") && line.contains("input size is 7"), line);
        assertTrue(line.contains(x.toString()), line);
    }

    @Test
    void malformedNpyIsReportedWithItsOption() throws IOException {
        Files.write(x, "this is not an array".getBytes());
        String line = failure(lstm(run()));
        assertTrue(line.contains("--input") && line.contains(x.toString()) && line.contains("NPY"), line);
    }

    @Test
    void missingInputFileIsReported() {
        String line = failure(lstm(run("--h0", dir.resolve("absent.npy").toString())));
        assertTrue(line.contains("--h0") && line.contains("absent.npy") && line.contains("not found"), line);
    }

    @Test
    void initialStateOfTheWrongShapeNamesBothShapes() throws IOException {
        Path h0 = dir.resolve("bad-h0.npy");
        Npy.write(NdArray.of(new float[2 * BATCH * HIDDEN], 2, BATCH, HIDDEN), h0);
        String line = failure(lstm(run("--h0", h0.toString())));
        assertTrue(line.contains("--h0") && line.contains("[2, 3, 5]") && line.contains("[4, 3, 5]"), line);
    }

    @Test
    void lengthOutOfRangeNamesTheRange() throws IOException {
        Path lengths = dir.resolve("lengths.npy");
        Npy.write(NdArray.of(new int[] {4, 5, 1}, BATCH), lengths);
        String line = failure(lstm(run("--lengths", lengths.toString())));
        assertTrue(line.contains("lengths[1] is 5") && line.contains("[1, T = 4]"), line);
    }

    @Test
    void floatLengthsAreRejected() throws IOException {
        Path lengths = dir.resolve("lengths.npy");
        Npy.write(NdArray.of(new float[] {4, 2, 1}, BATCH), lengths);
        String line = failure(lstm(run("--lengths", lengths.toString())));
        assertTrue(line.contains("float32") && line.contains("int32 or int64"), line);
    }

    @Test
    void upstreamGradientOfTheWrongShapeIsRejected() throws IOException {
        Path dy = dir.resolve("bad-dy.npy");
        Npy.write(NdArray.of(new float[SEQ_LEN * BATCH * HIDDEN], SEQ_LEN, BATCH, HIDDEN), dy);
        String line = failure(lstm(run("--dy", dy.toString())));
        assertTrue(line.contains("--dy") && line.contains("[4, 3, 5]") && line.contains("[4, 3, 10]"), line);
    }

    @Test
    void debugPrintsTheStackTrace() {
        model = dir.resolve("no-such-model.safetensors");
        List<String> args = new ArrayList<>(List.of(run()));
        args.add("--debug");
        ToolRun r = lstm(args.toArray(String[]::new));
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("at dev.lstm4j."), r.err());
    }
}
