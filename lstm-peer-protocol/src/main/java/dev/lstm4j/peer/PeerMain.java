package dev.lstm4j.peer;

import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.api.io.Npy;
import dev.lstm4j.api.io.Safetensors;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The main loop of a peer process: {@code --request FILE --report FILE}. Reads the request, runs every job
 * through the engine with the shared {@link Timing} loop, writes each job's outputs for the agreement check,
 * and writes the report. A job that fails is reported as failed; the others still run.
 */
public final class PeerMain {
    /** Starts the stdout line a peer prints after each job, which lstm-bench shows as progress. */
    public static final String PROGRESS = "lstm4j-peer-progress: ";

    private PeerMain() {
    }

    /** Returns the process exit code: 0 when a report was written, 2 on a usage error. */
    public static int run(String[] args, PeerEngine engine) {
        if (args.length != 4 || !args[0].equals("--request") || !args[2].equals("--report")) {
            System.err.println("usage: " + engine.name() + " peer --request FILE --report FILE");
            return 2;
        }
        try {
            PeerRequest request = PeerRequest.read(Path.of(args[1]));
            engine.configureThreads(request.threads());
            List<PeerOutcome> outcomes = new ArrayList<>();
            for (PeerJob job : request.jobs()) {
                outcomes.add(runJob(engine, job, request.timing()));
            }
            new PeerReport(engine.name(), engine.version(), engine.provenance(), outcomes).write(Path.of(args[3]));
            return 0;
        } catch (Exception e) {
            System.err.println(engine.name() + " peer failed: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    private static PeerOutcome runJob(PeerEngine engine, PeerJob job, TimingPolicy timing) {
        try {
            Map<String, NdArray> weights = Safetensors.read(job.weights()).tensors();
            NdArray x = Npy.read(job.input());
            NdArray dy = job.outputGradient() == null ? null : Npy.read(job.outputGradient());
            try (PeerEngine.PreparedRun run = engine.prepare(job, weights, x, dy)) {
                Samples samples = Timing.measure(timing, run::run);
                Files.createDirectories(job.outputDir());
                Npy.write(run.output(), job.outputDir().resolve(PeerJob.OUTPUT_FILE));
                if (job.mode() == BenchMode.TRAIN) {
                    Npy.write(run.inputGradient(), job.outputDir().resolve(PeerJob.INPUT_GRADIENT_FILE));
                }
                System.out.printf(java.util.Locale.ROOT, "%s%s %s %s: %.2f ms%n", PROGRESS, engine.name(),
                        job.config(), job.mode(), samples.median());
                System.out.flush();
                return PeerOutcome.measured(job.id(), samples);
            }
        } catch (UnsupportedOperationException e) {
            return PeerOutcome.failed(job.id(), engine.name() + " cannot run " + job.shape().describe() + " "
                    + job.mode() + ": " + e.getMessage());
        } catch (Exception | OutOfMemoryError e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            System.err.println(trace);
            return PeerOutcome.failed(job.id(), e.toString());
        }
    }
}
