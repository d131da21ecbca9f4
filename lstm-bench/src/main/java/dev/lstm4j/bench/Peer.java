package dev.lstm4j.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * A peer engine laid out on disk by its module's build: {@code peer.properties} (name, main class, JVM
 * arguments with a {@code {threads}} placeholder, and the device it computes on, {@code cpu} unless it says
 * {@code device=cuda}) and {@code lib/}, its whole class path. lstm4j never loads these classes;
 * {@link PeerLauncher} runs them in a child JVM.
 */
public record Peer(String name, Path dir, String mainClass, String jvmArgs, String device) {
    static final String DESCRIPTOR = "peer.properties";

    /** Reads the peer in {@code dir}. */
    static Peer read(Path dir) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(DESCRIPTOR), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String name = p.getProperty("name");
        String mainClass = p.getProperty("mainClass");
        if (name == null || mainClass == null) {
            throw new IOException(dir.resolve(DESCRIPTOR) + " must set name and mainClass");
        }
        if (!Files.isDirectory(dir.resolve("lib"))) {
            throw new IOException("peer " + name + " has no lib/ folder in " + dir);
        }
        return new Peer(name, dir, mainClass, p.getProperty("jvmArgs", ""), p.getProperty("device", "cpu"));
    }

    /** The JVM arguments for a run with {@code threads} threads. */
    List<String> jvmArguments(int threads) {
        List<String> args = new ArrayList<>();
        Arrays.stream(jvmArgs.trim().split("\\s+")).filter(a -> !a.isEmpty())
                .map(a -> a.replace("{threads}", Integer.toString(threads))).forEach(args::add);
        return args;
    }

    /** The class path: every jar in lib/ (the JVM expands the wildcard). */
    String classPath() {
        return dir.resolve("lib").toAbsolutePath() + java.io.File.separator + "*";
    }
}
