package dev.lstm4j.peer.dl4j;

import dev.lstm4j.api.DType;
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

/** The peer's main loop, in-process: request files in, report and outputs out, outputs equal to the reference. */
class Dl4jPeerRoundTripTest {

    @Test
    void inferenceAndTrainingJobsReportSamplesAndOutputsMatchingReference(@TempDir Path dir) throws Exception {
        ReferenceCase c = ReferenceCase.of(new StackShape(6, 3, 7, 13, 1, true), 42);
        Path weights = dir.resolve("weights.safetensors");
        Path x = dir.resolve("x.npy");
        Path dy = dir.resolve("dy.npy");
        Safetensors.write(new SafetensorsFile(c.weights(), Map.of()), weights);
        Npy.write(c.x(), x);
        Npy.write(c.dy(), dy);
        PeerJob inference = new PeerJob("job-inference", "tiny", c.shape(), BenchMode.INFERENCE, weights, x, null,
                dir.resolve("out-inference"));
        PeerJob train = new PeerJob("job-train", "tiny", c.shape(), BenchMode.TRAIN, weights, x, dy,
                dir.resolve("out-train"));
        Path request = dir.resolve("request.properties");
        Path reportFile = dir.resolve("report.properties");
        new PeerRequest(1, new TimingPolicy(1, 0, 3, 0, 3), List.of(inference, train)).write(request);

        int exit = PeerMain.run(new String[] {"--request", request.toString(), "--report", reportFile.toString()},
                new Dl4jEngine());

        assertEquals(0, exit);
        PeerReport report = PeerReport.read(reportFile);
        assertEquals("dl4j", report.engine());
        assertEquals("1.0.0-M2.1", report.version());
        assertEquals("1", report.provenance().get("threads.omp"), report.provenance().toString());
        Map<String, PeerOutcome> outcomes = report.byJob();
        for (PeerJob job : List.of(inference, train)) {
            PeerOutcome o = outcomes.get(job.id());
            assertTrue(o.ok(), () -> job.id() + " failed: " + o.error());
            assertEquals(3, o.samples().count());
            Checks.assertClose(job.id() + " y", c.forward().y(),
                    Npy.read(job.outputDir().resolve(PeerJob.OUTPUT_FILE)).toDoubles(),
                    Tolerance.forward(DType.FLOAT32));
        }
        assertFalse(Files.exists(inference.outputDir().resolve(PeerJob.INPUT_GRADIENT_FILE)));
        Checks.assertClose("dx", c.gradients().dx(),
                Npy.read(train.outputDir().resolve(PeerJob.INPUT_GRADIENT_FILE)).toDoubles(),
                Tolerance.gradients(DType.FLOAT32));
    }
}
