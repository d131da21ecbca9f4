package dev.lstm4j.peer.pytorch;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.api.io.Npy;
import dev.lstm4j.api.io.Safetensors;
import dev.lstm4j.api.io.SafetensorsFile;
import dev.lstm4j.conformance.Checks;
import dev.lstm4j.conformance.Tolerance;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.PeerJob;
import dev.lstm4j.peer.PeerMain;
import dev.lstm4j.peer.PeerOutcome;
import dev.lstm4j.peer.PeerReport;
import dev.lstm4j.peer.PeerRequest;
import dev.lstm4j.peer.StackShape;
import dev.lstm4j.peer.TimingPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The peer's main loop in-process: request files in, report and output files out. */
class PeerRoundTripTest {

    @Test
    void peerMainRunsInferenceAndTrainingJobsAndWritesOutputsThatMatchTheReference(@TempDir Path dir)
            throws Exception {
        StackShape shape = new StackShape(5, 3, 7, 13, 2, true);
        ReferenceCase c = ReferenceCase.of(shape, true, 11);
        Path weights = dir.resolve("weights.safetensors");
        Safetensors.write(new SafetensorsFile(c.weights(), Map.of()), weights);
        Path x = dir.resolve("x.npy");
        Npy.write(c.x(), x);
        Path dy = dir.resolve("dy.npy");
        Npy.write(c.dy(), dy);
        PeerJob inference = new PeerJob("inf", "odd", shape, BenchMode.INFERENCE, weights, x, null,
                dir.resolve("out-inf"));
        PeerJob train = new PeerJob("train", "odd", shape, BenchMode.TRAIN, weights, x, dy, dir.resolve("out-train"));
        Path request = dir.resolve("request.properties");
        new PeerRequest(1, new TimingPolicy(1, 0, 3, 0, 3), List.of(inference, train)).write(request);
        Path reportFile = dir.resolve("report.properties");

        int exit = PeerMain.run(new String[] {"--request", request.toString(), "--report", reportFile.toString()},
                new PyTorchEngine());

        assertEquals(0, exit);
        PeerReport report = PeerReport.read(reportFile);
        assertEquals("pytorch", report.engine());
        assertEquals("2.7.1", report.version());
        assertEquals("1", report.provenance().get("threads.intraOp"));
        Map<String, PeerOutcome> outcomes = report.byJob();
        for (String id : List.of("inf", "train")) {
            PeerOutcome o = outcomes.get(id);
            assertTrue(o.ok(), () -> id + " failed: " + o.error());
            assertEquals(3, o.samples().count());
        }
        Tolerance forward = Tolerance.forward(DType.FLOAT32);
        Checks.assertClose("inference y", c.forward().y(), read(inference.outputDir(), PeerJob.OUTPUT_FILE), forward);
        Checks.assertClose("training y", c.forward().y(), read(train.outputDir(), PeerJob.OUTPUT_FILE), forward);
        Checks.assertClose("training dx", c.gradients().dx(), read(train.outputDir(), PeerJob.INPUT_GRADIENT_FILE),
                Tolerance.gradients(DType.FLOAT32));
        assertFalse(Files.exists(inference.outputDir().resolve(PeerJob.INPUT_GRADIENT_FILE)));
    }

    private static double[] read(Path dir, String file) throws Exception {
        NdArray a = Npy.read(dir.resolve(file));
        return a.toDoubles();
    }
}
