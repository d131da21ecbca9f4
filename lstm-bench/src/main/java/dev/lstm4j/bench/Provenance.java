package dev.lstm4j.bench;

import dev.lstm4j.api.Backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a result needs to be reproduced and compared: lstm4j's version, the host's CPU, the JVM, the BLAS
 * settings in the environment (OpenBLAS's core type above all), and each backend's own facts.
 */
public final class Provenance {
    /** Environment variables that change BLAS speed; printed with every result, "unset" when absent. */
    static final List<String> ENVIRONMENT = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
            "OMP_NUM_THREADS");

    private Provenance() {
    }

    /** Facts about this machine and process. */
    public static Map<String, String> host() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("lstm4j.version", version());
        p.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        p.put("cpu.model", cpuModel());
        p.put("cpu.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        p.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")");
        for (String variable : ENVIRONMENT) {
            p.put("env." + variable, Optional.ofNullable(System.getenv(variable)).orElse("unset"));
        }
        return p;
    }

    /** Adds {@code backend.<name>.<key>} for each of the backend's properties. */
    static void addBackend(Map<String, String> provenance, Backend backend) {
        backend.properties().forEach((k, v) -> provenance.put("backend." + backend.name() + "." + k, v));
    }

    /** The version in lstm.jar's manifest, or "development" when run from class folders. */
    public static String version() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** The "model name" line of /proc/cpuinfo where there is one, else the architecture. */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: fall through
        }
        return System.getProperty("os.arch");
    }
}
