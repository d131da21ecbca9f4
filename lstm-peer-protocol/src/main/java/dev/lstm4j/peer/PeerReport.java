package dev.lstm4j.peer;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What a peer process answers: which engine and version ran, facts for the provenance record (threads, BLAS,
 * library versions), and one outcome per job. Stored as a properties file.
 */
public record PeerReport(String engine, String version, Map<String, String> provenance, List<PeerOutcome> outcomes) {

    private static final String PROVENANCE = "provenance.";

    public PeerReport {
        provenance = Map.copyOf(provenance);
        outcomes = List.copyOf(outcomes);
    }

    public void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("engine", engine);
        p.setProperty("version", version);
        provenance.forEach((k, v) -> p.setProperty(PROVENANCE + k, v));
        p.setProperty("outcomes", Integer.toString(outcomes.size()));
        for (int k = 0; k < outcomes.size(); k++) {
            PeerOutcome o = outcomes.get(k);
            String key = "outcome." + k + ".";
            p.setProperty(key + "job", o.jobId());
            if (o.ok()) {
                p.setProperty(key + "samplesMillis", o.samples().format());
            } else {
                p.setProperty(key + "error", o.error());
            }
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "lstm4j peer report");
        }
        // A report appears whole or not at all, so a crashed peer is never mistaken for a finished one.
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static PeerReport read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        PropertyReader in = new PropertyReader(p, file);
        Map<String, String> provenance = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(PROVENANCE)) {
                provenance.put(name.substring(PROVENANCE.length()), p.getProperty(name));
            }
        }
        int count = in.intValue("outcomes");
        List<PeerOutcome> outcomes = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            String key = "outcome." + k + ".";
            String samples = p.getProperty(key + "samplesMillis");
            outcomes.add(samples != null
                    ? PeerOutcome.measured(in.string(key + "job"), Samples.parse(samples))
                    : PeerOutcome.failed(in.string(key + "job"), in.string(key + "error")));
        }
        return new PeerReport(in.string("engine"), in.string("version"), provenance, outcomes);
    }

    /** Outcomes by job id. */
    public Map<String, PeerOutcome> byJob() {
        Map<String, PeerOutcome> m = new LinkedHashMap<>();
        outcomes.forEach(o -> m.put(o.jobId(), o));
        return m;
    }
}
