package dev.lstm4j.bench.cli;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.LstmConfig;
import dev.lstm4j.bench.Peer;
import dev.lstm4j.bench.PeerDirectory;
import dev.lstm4j.bench.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code lstm info}: every backend provider found, whether it can run here and why not, the one that would be
 * selected with its devices and BLAS facts, the benchmark peers, and every setting with its current value.
 */
@Command(name = "info", description = "Shows the backends found (available or not, and why), the selected one, "
        + "benchmark peers, versions and settings.")
final class InfoCommand implements Callable<Integer> {
    /** Backends lstm4j knows of, by name, with the artifact that provides each. */
    private static final Map<String, String> KNOWN_BACKENDS = new LinkedHashMap<>();

    static {
        KNOWN_BACKENDS.put("cuda", "dev.lstm4j:lstm-cuda");
        KNOWN_BACKENDS.put("cpu", "dev.lstm4j:lstm-cpu");
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> host = Provenance.host();
        out.println("lstm4j " + host.get("lstm4j.version"));
        out.println("  jvm: " + host.get("jvm"));
        out.println("  os:  " + host.get("os"));
        out.println("  cpu: " + host.get("cpu.model") + ", " + host.get("cpu.cores") + " cores");
        out.println();

        Backends backends = Backends.discover();
        out.println("Backends (the available one with the highest priority is used, unless "
                + LstmConfig.BACKEND.property() + " / " + LstmConfig.BACKEND.environment() + " names one):");
        out.print(backends.describe());
        KNOWN_BACKENDS.forEach((name, artifact) -> {
            if (backends.statuses().stream().noneMatch(s -> s.name().equals(name))) {
                out.printf(Locale.ROOT, "  %-6s not installed: no provider on the class path (this build does not "
                        + "include %s)%n", name, artifact);
            }
        });
        out.println();

        try (Backend selected = Backends.select()) {
            out.println("Selected: " + selected.name());
            selected.properties().forEach((k, v) -> out.printf(Locale.ROOT, "  %-14s %s%n", k, v));
        } catch (RuntimeException e) {
            out.println("Selected: none: " + e.getMessage());
        }
        out.println();

        PeerDirectory peers = PeerDirectory.locate();
        out.println("Benchmark peers (" + peers.root() + "):");
        for (Peer p : peers.peers()) {
            out.printf(Locale.ROOT, "  %-8s %s%n", p.name(), p.dir());
        }
        peers.problems().forEach(p -> out.println("  " + p));
        if (peers.peers().isEmpty() && peers.problems().isEmpty()) {
            out.println("  none");
        }
        out.println();

        out.println("Settings (system property / environment variable):");
        for (LstmConfig c : LstmConfig.values()) {
            out.printf(Locale.ROOT, "  %-18s %-18s = %-10s %s%n", c.property(), c.environment(),
                    c.value().orElse("(unset)"), c.meaning());
        }
        for (String variable : new String[] {"OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS"}) {
            out.printf(Locale.ROOT, "  %-37s = %s%n", variable, System.getenv().getOrDefault(variable, "(unset)"));
        }
        out.flush();
        return 0;
    }
}
