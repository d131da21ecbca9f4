package dev.lstm4j.api.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Facts about the machine that backends and tools put into provenance records. */
public final class HostInfo {

    private HostInfo() {
    }

    /** The processor's name, read once: {@code model name} in {@code /proc/cpuinfo} (Linux), else {@code os.arch}. */
    public static String cpuModel() {
        return CpuModel.NAME;
    }

    private static final class CpuModel {
        static final String NAME = read().orElse(System.getProperty("os.arch"));

        private static Optional<String> read() {
            try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
                return lines.filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .filter(name -> !name.isEmpty())
                        .findFirst();
            } catch (IOException | UncheckedIOException | SecurityException e) {
                return Optional.empty();   // not Linux, or not readable: os.arch will do
            }
        }
    }
}
