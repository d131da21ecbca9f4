package dev.lstm4j.peer;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What lstm-bench asks of a peer process: the threads to use, the timing policy, and the jobs. Stored as a
 * properties file, which every JVM reads without a library.
 */
public record PeerRequest(int threads, TimingPolicy timing, List<PeerJob> jobs) {

    public PeerRequest {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        jobs = List.copyOf(jobs);
    }

    public void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("threads", Integer.toString(threads));
        p.setProperty("timing", timing.format());
        p.setProperty("jobs", Integer.toString(jobs.size()));
        for (int k = 0; k < jobs.size(); k++) {
            PeerJob j = jobs.get(k);
            String key = "job." + k + ".";
            StackShape s = j.shape();
            p.setProperty(key + "id", j.id());
            p.setProperty(key + "config", j.config());
            p.setProperty(key + "shape", s.seqLen() + "," + s.batch() + "," + s.inputSize() + "," + s.hiddenSize()
                    + "," + s.numLayers() + "," + s.bidirectional());
            p.setProperty(key + "mode", j.mode().label());
            p.setProperty(key + "weights", j.weights().toString());
            p.setProperty(key + "input", j.input().toString());
            if (j.outputGradient() != null) {
                p.setProperty(key + "outputGradient", j.outputGradient().toString());
            }
            p.setProperty(key + "outputDir", j.outputDir().toString());
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "lstm4j peer request");
        }
    }

    /** Reads a request; a missing or malformed entry gives an exception that names it and the file. */
    public static PeerRequest read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        PropertyReader in = new PropertyReader(p, file);
        int count = in.intValue("jobs");
        List<PeerJob> jobs = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            String key = "job." + k + ".";
            String[] s = in.string(key + "shape").split(",");
            if (s.length != 6) {
                throw new IOException(file + ": " + key + "shape needs T,B,I,H,layers,bidirectional, got "
                        + in.string(key + "shape"));
            }
            StackShape shape = new StackShape(Integer.parseInt(s[0]), Integer.parseInt(s[1]), Integer.parseInt(s[2]),
                    Integer.parseInt(s[3]), Integer.parseInt(s[4]), Boolean.parseBoolean(s[5]));
            String grad = p.getProperty(key + "outputGradient");
            jobs.add(new PeerJob(in.string(key + "id"), in.string(key + "config"), shape,
                    BenchMode.parse(in.string(key + "mode")), Path.of(in.string(key + "weights")),
                    Path.of(in.string(key + "input")), grad == null ? null : Path.of(grad),
                    Path.of(in.string(key + "outputDir"))));
        }
        return new PeerRequest(in.intValue("threads"), TimingPolicy.parse(in.string("timing")), jobs);
    }
}
