package dev.lstm4j.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Looks for a shared library where the dynamic linker would: {@code LD_LIBRARY_PATH}, the folders listed in
 * {@code /etc/ld.so.conf} and its includes, and the standard ones (plus the folder the NVIDIA Container
 * Toolkit mounts). Used only to name what is missing and where it was looked for; loading itself is left to
 * the linker, whose error stays the cause.
 */
final class LibraryLocator {
    private static final List<String> STANDARD = List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
            "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/nvidia/lib64", "/usr/local/cuda/lib64",
            "/usr/local/cuda/targets/x86_64-linux/lib", "/usr/lib/wsl/lib");

    private final List<Path> folders;

    LibraryLocator(List<Path> folders) {
        this.folders = List.copyOf(folders);
    }

    /** The folders of this process's environment. */
    static LibraryLocator system() {
        Set<Path> folders = new LinkedHashSet<>();
        String ldPath = System.getenv("LD_LIBRARY_PATH");
        if (ldPath != null) {
            for (String entry : ldPath.split(":")) {
                if (!entry.isBlank()) {
                    folders.add(Path.of(entry));
                }
            }
        }
        folders.addAll(ldSoConf(Path.of("/etc/ld.so.conf"), 0));
        STANDARD.forEach(s -> folders.add(Path.of(s)));
        return new LibraryLocator(new ArrayList<>(folders));
    }

    List<Path> folders() {
        return folders;
    }

    Optional<Path> find(String fileName) {
        for (Path folder : folders) {
            Path candidate = folder.resolve(fileName);
            if (Files.exists(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Folders named by an ld.so.conf file, following {@code include} globs a few levels deep. */
    static List<Path> ldSoConf(Path file, int depth) {
        List<Path> folders = new ArrayList<>();
        if (depth > 4 || !Files.isReadable(file)) {
            return folders;
        }
        try {
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String line = raw.replaceFirst("#.*", "").trim();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("include ")) {
                    folders.addAll(included(file.getParent(), line.substring("include ".length()).trim(), depth));
                } else {
                    folders.add(Path.of(line));
                }
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable configuration only narrows the search; the linker's own error stays authoritative.
        }
        return folders;
    }

    private static List<Path> included(Path base, String pattern, int depth) throws IOException {
        Path patternPath = base.resolve(pattern);
        Path dir = patternPath.getParent();
        List<Path> folders = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return folders;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, patternPath.getFileName().toString())) {
            stream.forEach(files::add);
        }
        files.sort(null);
        for (Path f : files) {
            folders.addAll(ldSoConf(f, depth + 1));
        }
        return folders;
    }
}
