package dev.lstm4j.bench;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.spi.HostInfo;

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
        p.put("cpu.model", HostInfo.cpuModel());
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
}
