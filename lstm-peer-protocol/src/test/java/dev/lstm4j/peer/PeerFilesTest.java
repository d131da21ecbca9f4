package dev.lstm4j.peer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests and reports survive the trip through their files, and a broken file names what is wrong. */
class PeerFilesTest {

    @Test
    void requestRoundTripKeepsEveryField(@TempDir Path dir) throws IOException {
        PeerJob train = new PeerJob("medium-bidir-train", "medium-bidir", new StackShape(50, 32, 256, 256, 1, true),
                BenchMode.TRAIN, dir.resolve("w.safetensors"), dir.resolve("x.npy"), dir.resolve("dy.npy"),
                dir.resolve("out 1"));
        PeerJob infer = new PeerJob("small-inference", "small", StackShape.of(25, 16, 128, 128),
                BenchMode.INFERENCE, dir.resolve("w2.safetensors"), dir.resolve("x2.npy"), null, dir.resolve("o2"));
        PeerRequest request = new PeerRequest(2, TimingPolicy.QUICK, List.of(train, infer));
        Path file = dir.resolve("request.properties");
        request.write(file);
        assertEquals(request, PeerRequest.read(file));
    }

    @Test
    void reportRoundTripKeepsSamplesErrorsAndProvenance(@TempDir Path dir) throws IOException {
        PeerReport report = new PeerReport("pytorch", "2.7.1", Map.of("threads", "1", "blas", "MKL"),
                List.of(PeerOutcome.measured("a", new Samples(new double[] {1.5, 1.25, 2})),
                        PeerOutcome.failed("b", "out of memory: 3 GB\nsecond line")));
        Path file = dir.resolve("report.properties");
        report.write(file);
        PeerReport back = PeerReport.read(file);
        assertEquals("pytorch", back.engine());
        assertEquals("2.7.1", back.version());
        assertEquals(report.provenance(), back.provenance());
        assertArrayEquals(new double[] {1.5, 1.25, 2}, back.byJob().get("a").samples().millis());
        assertEquals("out of memory: 3 GB\nsecond line", back.byJob().get("b").error());
        assertFalse(Files.exists(dir.resolve("report.properties.tmp")), "the temporary file is renamed away");
    }

    @Test
    void missingEntryIsNamedWithItsFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("request.properties");
        Files.writeString(file, "threads=1\ntiming=1,0,1,0,1\njobs=1\njob.0.id=x\n");
        IOException e = assertThrows(IOException.class, () -> PeerRequest.read(file));
        assertTrue(e.getMessage().contains("job.0.shape") && e.getMessage().contains(file.toString()),
                e.getMessage());
    }

    @Test
    void trainingJobWithoutOutputGradientIsRejected(@TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class, () -> new PeerJob("j", "small",
                StackShape.of(1, 1, 1, 1), BenchMode.TRAIN, dir, dir, null, dir));
        assertTrue(e.getMessage().contains("output gradient"), e.getMessage());
    }
}
