package dev.lstm4j.bench.cli;

import dev.lstm4j.peer.BenchConfigs;
import dev.lstm4j.peer.BenchConfig;
import dev.lstm4j.bench.BenchChart;
import dev.lstm4j.bench.BenchJson;
import dev.lstm4j.bench.BenchOptions;
import dev.lstm4j.bench.BenchReport;
import dev.lstm4j.bench.BenchRunner;
import dev.lstm4j.bench.BenchTable;
import dev.lstm4j.bench.Peer;
import dev.lstm4j.bench.PeerDirectory;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.TimingPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code lstm bench}: times lstm4j beside its ceiling and its peers, prints a table, writes JSON and a chart. */
@Command(name = "bench", sortOptions = false,
        description = {"Times LSTM inference and training steps on an lstm4j backend, beside the backend's own GEMM "
                + "(the ceiling) and beside PyTorch and Deeplearning4j (each in its own JVM, same weights and "
                + "inputs, outputs checked to agree).",
                "Each case: warm-up, then several timed iterations; the median is reported."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", description = "lstm4j backend (default: the best available).")
    String backend;

    @Option(names = "--config", paramLabel = "NAME", split = ",", arity = "1..*",
            completionCandidates = ConfigNames.class,
            description = "Configurations or groups (default: standard; with --quick: quick). Known: "
                    + "${COMPLETION-CANDIDATES}")
    List<String> configs;

    @Option(names = "--mode", paramLabel = "MODE", split = ",",
            description = "inference, train, or both (default both).")
    List<String> modes;

    @Option(names = "--threads", paramLabel = "N", split = ",",
            description = "Thread counts to measure, e.g. 1,2 (default: 1 and all cores).")
    List<Integer> threads;

    @Option(names = "--quick", description = "Shorter warm-up and timing, and the quick configurations by default.")
    boolean quick;

    @Option(names = "--peers", paramLabel = "NAME", split = ",",
            description = "Peers to include (default: every peer found beside the tool).")
    List<String> peers;

    @Option(names = "--no-peers", description = "Measure lstm4j and the ceiling only.")
    boolean noPeers;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
    Path json;

    @Option(names = "--chart", paramLabel = "FILE.png", description = "Draw GFLOP/s per configuration as a PNG.")
    Path chart;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Keep inputs, outputs and peer logs here (default: a temporary folder, removed).")
    Path work;

    /** The catalogue's names, for the help text and shell completion. */
    static final class ConfigNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return BenchConfigs.names().iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        BenchOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            // Unknown configuration or mode, bad thread count: usage errors, like a misspelt option.
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        ProgressPrinter progress = new ProgressPrinter(spec.commandLine().getErr());
        PeerDirectory directory = PeerDirectory.locate();
        if (!noPeers && peers == null && directory.peers().isEmpty()) {
            directory.problems().forEach(progress::note);
        }
        BenchReport report = new BenchRunner(options, progress, directory).run();
        print(report);
        boolean anyFailed = report.lstm4jResults().stream().anyMatch(r -> !r.ok());
        return anyFailed ? 1 : 0;
    }

    private BenchOptions options() {
        List<BenchConfig> chosen = BenchConfigs.resolve(configs != null ? configs
                : List.of(quick ? "quick" : "standard"));
        List<BenchMode> chosenModes = new ArrayList<>();
        for (String m : modes != null ? modes : List.of("both")) {
            if (m.equals("both")) {
                chosenModes.addAll(List.of(BenchMode.INFERENCE, BenchMode.TRAIN));
            } else {
                chosenModes.add(BenchMode.parse(m));
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        List<Integer> chosenThreads = threads != null ? threads : cores > 1 ? List.of(1, cores) : List.of(1);
        List<String> chosenPeers = noPeers ? List.of()
                : peers != null ? peers : PeerDirectory.locate().peers().stream().map(Peer::name).toList();
        return new BenchOptions(Optional.ofNullable(backend), chosen,
                chosenModes.stream().distinct().toList(), chosenThreads.stream().distinct().toList(),
                quick ? TimingPolicy.QUICK : TimingPolicy.STANDARD, chosenPeers, Optional.ofNullable(work));
    }

    private void print(BenchReport report) throws java.io.IOException {
        var out = spec.commandLine().getOut();
        out.println();
        out.println("lstm4j " + report.provenance().get("lstm4j.version") + " on " + report.provenance().get("cpu.model")
                + " (" + report.provenance().get("cpu.cores") + " cores), OPENBLAS_CORETYPE="
                + report.provenance().get("env.OPENBLAS_CORETYPE") + ", " + report.provenance().get("jvm"));
        report.provenance().entrySet().stream().filter(e -> e.getKey().startsWith("backend.")
                        && e.getKey().endsWith(".description"))
                .forEach(e -> out.println(e.getValue()));
        out.println();
        out.print(BenchTable.format(report));
        out.println("GFLOP/s counts GEMM FLOPs: forward 2*T*B*4H*(I+H) per layer and direction, training 3x that. "
                + "speed-up = peer time / lstm4j time.");
        if (json != null) {
            BenchJson.write(report, json);
            out.println("wrote " + json);
        }
        if (chart != null) {
            BenchChart.write(report, chart);
            out.println("wrote " + chart);
        }
        out.flush();
    }
}
