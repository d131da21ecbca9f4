package dev.lstm4j.bench;

import dev.lstm4j.peer.BenchConfig;
import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.LstmConfig;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.api.io.Npy;
import dev.lstm4j.api.io.ParameterFiles;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.PeerJob;
import dev.lstm4j.peer.PeerOutcome;
import dev.lstm4j.peer.PeerReport;
import dev.lstm4j.peer.PeerRequest;
import dev.lstm4j.peer.StackShape;
import dev.lstm4j.peer.Timing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a benchmark: for each thread count, the ceiling, then every configuration and mode on the lstm4j
 * backend, then the same cases in each peer's JVM with the same weights and inputs (written to the work
 * folder), whose outputs are checked against lstm4j's.
 */
public final class BenchRunner {
    private final BenchOptions options;
    private final BenchListener listener;
    private final PeerDirectory peerDirectory;

    public BenchRunner(BenchOptions options, BenchListener listener, PeerDirectory peerDirectory) {
        this.options = options;
        this.listener = listener;
        this.peerDirectory = peerDirectory;
    }

    public BenchReport run() throws Exception {
        Path work = options.workDir().orElse(null);
        boolean temporary = work == null;
        work = temporary ? Files.createTempDirectory("lstm-bench") : Files.createDirectories(work);
        try {
            return run(work);
        } finally {
            if (temporary) {
                deleteTree(work);
            }
        }
    }

    private BenchReport run(Path work) throws Exception {
        List<Peer> peers = resolvePeers();
        Map<String, String> provenance = new LinkedHashMap<>(Provenance.host());
        List<CeilingResult> ceilings = new ArrayList<>();
        List<BenchResult> results = new ArrayList<>();
        String previousThreads = System.getProperty(LstmConfig.CPU_THREADS.property());
        try {
            for (int threads : options.threads()) {
                // The cpu backend applies this when created; OpenBLAS's thread count is process-wide anyway.
                System.setProperty(LstmConfig.CPU_THREADS.property(), Integer.toString(threads));
                Path threadWork = Files.createDirectories(work.resolve("t" + threads));
                List<Lstm4jCaseFiles> cases = new ArrayList<>();
                String device;
                try (Backend backend = options.backend().map(Backends::select).orElseGet(Backends::select)) {
                    device = backend.name();
                    Provenance.addBackend(provenance, backend);
                    listener.started("ceiling: " + backend.name() + " sgemm " + BenchOptions.CEILING_SIZE + "^3, "
                            + threadsLabel(threads));
                    CeilingResult ceiling = Ceiling.measure(backend, threads, BenchOptions.CEILING_SIZE,
                            options.timing());
                    ceilings.add(ceiling);
                    listener.ceiling(ceiling);
                    for (BenchConfig config : options.configs()) {
                        cases.addAll(runLstm4j(backend, config, threads, work, threadWork, results));
                    }
                }
                for (Peer peer : peers) {
                    if (peer.device().equals(device)) {
                        results.addAll(runPeer(peer, threads, cases, threadWork, provenance));
                    } else if (threads == options.threads().get(0)) {
                        listener.note("peer " + peer.name() + " left out: it computes on " + peer.device()
                                + " and lstm4j on " + device + " here; peers are compared on lstm4j's device");
                    }
                }
                if (!device.equals("cpu") && options.threads().size() > 1) {
                    listener.note("thread counts apply to the cpu backend only: " + device + " measured once");
                    break;
                }
            }
        } finally {
            if (previousThreads == null) {
                System.clearProperty(LstmConfig.CPU_THREADS.property());
            } else {
                System.setProperty(LstmConfig.CPU_THREADS.property(), previousThreads);
            }
        }
        return new BenchReport(provenance, ceilings, results);
    }

    /** A measured lstm4j case and the files a peer needs to repeat it and to be checked against it. */
    private record Lstm4jCaseFiles(BenchConfig config, BenchMode mode, Path weights, Path x, Path dy, Path y,
                                   Path dx) {
    }

    /**
     * Measures one configuration in every mode. The inputs (weights, x, dy) are the same for every thread
     * count, so they are written once under {@code work/inputs}; outputs go under {@code threadWork}.
     */
    private List<Lstm4jCaseFiles> runLstm4j(Backend backend, BenchConfig config, int threads, Path work,
                                            Path threadWork, List<BenchResult> results) throws IOException {
        StackShape shape = config.shape();
        Path inputs = Files.createDirectories(work.resolve("inputs").resolve(config.name()));
        Path dir = Files.createDirectories(threadWork.resolve(config.name()));
        CaseData data = CaseData.generate(shape);
        Path weights = inputs.resolve("weights.safetensors");
        Path x = inputs.resolve("x.npy");
        Path dy = inputs.resolve("dy.npy");
        if (!Files.exists(x)) {
            Npy.write(data.xArray(shape), x);
            Npy.write(data.dyArray(shape), dy);
        }
        List<Lstm4jCaseFiles> files = new ArrayList<>();
        for (BenchMode mode : options.modes()) {
            listener.started(BenchResult.LSTM4J + " " + backend.name() + " " + config.name() + " " + mode + ", "
                    + threadsLabel(threads));
            Path y = dir.resolve(mode + "-lstm4j-y.npy");
            Path dx = dir.resolve(mode + "-lstm4j-dx.npy");
            BenchResult result;
            try (Lstm4jCase c = Lstm4jCase.prepare(backend, shape, mode, data)) {
                if (!Files.exists(weights)) {
                    ParameterFiles.save(c.weights(), weights);
                }
                result = new BenchResult(BenchResult.LSTM4J, backend.name(), config, mode, threads,
                        Timing.measure(options.timing(), c::run), null, null);
                c.runKeepingResults();
                Npy.write(NdArray.of(c.output(), shape.seqLen(), shape.batch(),
                        (long) shape.directions() * shape.hiddenSize()), y);
                if (mode == BenchMode.TRAIN) {
                    Npy.write(NdArray.of(c.inputGradient(), shape.seqLen(), shape.batch(), shape.inputSize()), dx);
                }
                files.add(new Lstm4jCaseFiles(config, mode, weights, x, dy, y, dx));
            } catch (Exception | OutOfMemoryError e) {
                result = new BenchResult(BenchResult.LSTM4J, backend.name(), config, mode, threads, null,
                        String.valueOf(e.getMessage() != null ? e.getMessage() : e), null);
            }
            results.add(result);
            listener.result(result);
        }
        return files;
    }

    private List<BenchResult> runPeer(Peer peer, int threads, List<Lstm4jCaseFiles> cases, Path work,
                                      Map<String, String> provenance) throws InterruptedException {
        List<PeerJob> jobs = new ArrayList<>();
        Map<String, Lstm4jCaseFiles> byId = new LinkedHashMap<>();
        for (Lstm4jCaseFiles c : cases) {
            String id = c.config().name() + "-" + c.mode();
            byId.put(id, c);
            jobs.add(new PeerJob(id, c.config().name(), c.config().shape(), c.mode(), c.weights(), c.x(),
                    c.mode() == BenchMode.TRAIN ? c.dy() : null, work.resolve(peer.name()).resolve(id)));
        }
        List<BenchResult> results = new ArrayList<>();
        if (jobs.isEmpty()) {
            return results;
        }
        listener.started(peer.name() + ": " + jobs.size() + " case(s) in its own JVM, " + threadsLabel(threads));
        PeerReport report;
        try {
            report = PeerLauncher.run(peer, new PeerRequest(threads, options.timing(), jobs), work, listener);
        } catch (IOException e) {
            listener.note(e.getMessage());
            for (Lstm4jCaseFiles c : byId.values()) {
                BenchResult failed = new BenchResult(peer.name(), peer.device(), c.config(), c.mode(), threads, null,
                        "peer did not run: " + firstLine(e.getMessage()), null);
                results.add(failed);
                listener.result(failed);
            }
            return results;
        }
        provenance.put("peer." + peer.name() + ".version", report.version());
        report.provenance().forEach((k, v) -> provenance.put("peer." + peer.name() + "." + k, v));
        Map<String, PeerOutcome> outcomes = report.byJob();
        for (PeerJob job : jobs) {
            Lstm4jCaseFiles c = byId.get(job.id());
            PeerOutcome o = outcomes.get(job.id());
            BenchResult r;
            if (o == null) {
                r = new BenchResult(peer.name(), peer.device(), c.config(), c.mode(), threads, null,
                        "peer reported nothing for this case", null);
            } else if (!o.ok()) {
                r = new BenchResult(peer.name(), peer.device(), c.config(), c.mode(), threads, null, o.error(), null);
            } else {
                Agreement agreement = compare(c, job.outputDir());
                if (!agreement.agrees()) {
                    listener.note(peer.name() + " " + job.id() + " does not agree with lstm4j: " + agreement);
                }
                r = new BenchResult(peer.name(), peer.device(), c.config(), c.mode(), threads, o.samples(), null,
                        agreement);
            }
            results.add(r);
            listener.result(r);
        }
        return results;
    }

    private static Agreement compare(Lstm4jCaseFiles c, Path peerOutput) {
        try {
            float[] y = Npy.read(c.y()).toFloats();
            float[] peerY = Npy.read(peerOutput.resolve(PeerJob.OUTPUT_FILE)).toFloats();
            double scale = maxAbs(y);
            double dxDiff = Double.NaN;
            if (c.mode() == BenchMode.TRAIN) {
                float[] dx = Npy.read(c.dx()).toFloats();
                dxDiff = maxAbsDiff(dx, Npy.read(peerOutput.resolve(PeerJob.INPUT_GRADIENT_FILE)).toFloats());
                scale = Math.max(scale, maxAbs(dx));
            }
            return new Agreement(maxAbsDiff(y, peerY), dxDiff, Agreement.tolerance(scale));
        } catch (IOException | RuntimeException e) {
            return new Agreement(Double.POSITIVE_INFINITY, Double.NaN, 0);
        }
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Max |a - b|; infinite when the lengths differ, since then the peer computed something else. */
    private static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int k = 0; k < a.length; k++) {
            double d = Math.abs((double) a[k] - b[k]);
            m = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(m, d);
        }
        return m;
    }

    private List<Peer> resolvePeers() {
        List<Peer> peers = new ArrayList<>();
        for (String name : options.peers()) {
            peerDirectory.find(name).ifPresentOrElse(peers::add, () -> listener.note("peer " + name
                    + " left out: not found in " + peerDirectory.root()));
        }
        if (!options.peers().isEmpty()) {
            peerDirectory.problems().forEach(listener::note);
        }
        return peers;
    }

    static String threadsLabel(int threads) {
        return threads + (threads == 1 ? " thread" : " threads");
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
