package dev.lstm4j.bench;

import dev.lstm4j.api.LstmConfig;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the peers: the folder named by {@link LstmConfig#BENCH_PEERS}, else {@code peers/} beside the jar (or
 * class folder) this tool runs from, which is where the build puts them ({@code lstm-bench/target/peers}).
 */
public final class PeerDirectory {
    private final Path root;
    private final List<Peer> peers;
    private final List<String> problems;

    private PeerDirectory(Path root, List<Peer> peers, List<String> problems) {
        this.root = root;
        this.peers = List.copyOf(peers);
        this.problems = List.copyOf(problems);
    }

    /** Scans {@code root}; a broken peer folder is listed in {@link #problems()}, not thrown. */
    public static PeerDirectory scan(Path root) {
        List<Peer> peers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            problems.add("no peers folder at " + root + " (build the whole project, or set "
                    + LstmConfig.BENCH_PEERS.property() + ")");
            return new PeerDirectory(root, peers, problems);
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            List<Path> sorted = new ArrayList<>();
            dirs.forEach(sorted::add);
            sorted.sort(null);
            for (Path dir : sorted) {
                try {
                    peers.add(Peer.read(dir));
                } catch (IOException e) {
                    problems.add("skipped peer folder " + dir + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            problems.add("cannot list " + root + ": " + e);
        }
        return new PeerDirectory(root, peers, problems);
    }

    /** The configured or default folder. */
    public static PeerDirectory locate() {
        return scan(LstmConfig.BENCH_PEERS.value().map(Path::of).orElseGet(PeerDirectory::besideCode));
    }

    private static Path besideCode() {
        try {
            Path code = Path.of(PeerDirectory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.toAbsolutePath().getParent().resolve("peers");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("peers").toAbsolutePath();
        }
    }

    public Path root() {
        return root;
    }

    public List<Peer> peers() {
        return peers;
    }

    /** Why peers are missing or skipped, one line each. */
    public List<String> problems() {
        return problems;
    }

    public Optional<Peer> find(String name) {
        return peers.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
