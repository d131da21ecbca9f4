package dev.lstm4j.bench;

import dev.lstm4j.peer.BenchConfigs;
import dev.lstm4j.peer.BenchMode;
import dev.lstm4j.peer.TimingPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The benchmark's whole peer path on the real peers: lstm4j writes weights and inputs, each peer runs the same
 * cases in its own JVM on its own class path, and its outputs agree with lstm4j's. The reactor builds the peer
 * modules before this one, so their {@code target/peer} folders exist in a full build.
 */
class PeersSmokeTest {
    private static final List<String> PEERS = List.of("pytorch", "dl4j");

    @Test
    void realPeersRunInTheirOwnJvmsAndAgreeWithLstm4j(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectories(dir.resolve("peers"));
        for (String peer : PEERS) {
            Path built = Path.of("..", "lstm-peer-" + peer, "target", "peer").toAbsolutePath().normalize();
            assumeTrue(Files.exists(built.resolve(Peer.DESCRIPTOR)), "skipped: peer " + peer + " is not built at "
                    + built + " (build the whole project, not lstm-bench alone)");
            Files.createSymbolicLink(root.resolve(peer), built);
        }
        List<String> notes = new ArrayList<>();
        List<String> progress = new ArrayList<>();
        BenchListener listener = new BenchListener() {
            @Override
            public void note(String message) {
                notes.add(message);
            }

            @Override
            public void progress(String message) {
                progress.add(message);
            }
        };
        BenchOptions options = new BenchOptions(Optional.of("cpu"), List.of(BenchConfigs.byName("small")),
                List.of(BenchMode.INFERENCE, BenchMode.TRAIN), List.of(1), new TimingPolicy(1, 0, 2, 0, 2), PEERS,
                Optional.of(dir.resolve("work")));

        BenchReport report = new BenchRunner(options, listener, PeerDirectory.scan(root)).run();

        assertEquals(List.of(), notes);
        assertEquals(2 * PEERS.size(), progress.size(), "one progress line per peer case: " + progress);
        assertEquals(2 + 2 * PEERS.size(), report.results().size());
        for (BenchResult r : report.results()) {
            assertTrue(r.ok(), r.label() + " " + r.mode() + " failed: " + r.error());
            if (!r.isLstm4j()) {
                assertNotNull(r.agreement());
                assertTrue(r.agreement().agrees(), r.label() + " " + r.mode() + ": " + r.agreement());
                assertTrue(r.agreement().outputDiff() < 1e-4, r.agreement().toString());
            }
        }
        for (String peer : PEERS) {
            assertTrue(report.provenance().containsKey("peer." + peer + ".version"), report.provenance().toString());
        }
    }
}
