package dev.lstm4j.bench;

import dev.lstm4j.peer.PeerMain;
import dev.lstm4j.peer.PeerReport;
import dev.lstm4j.peer.PeerRequest;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a peer in a child JVM on its own class path: {@code java <peer's JVM args> -cp lib/* <main> --request R
 * --report P}. The thread count reaches the peer's native pools through the usual variables as well as its
 * JVM arguments; {@code OPENBLAS_CORETYPE} and the like are inherited unchanged, so every engine runs with the
 * same BLAS settings. The peer's output goes to a log file next to the report; its progress lines also go
 * to the listener.
 */
final class PeerLauncher {
    private static final String[] THREAD_VARIABLES = {"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"};
    private static final int LOG_LINES_ON_FAILURE = 15;

    private PeerLauncher() {
    }

    static PeerReport run(Peer peer, PeerRequest request, Path workDir, BenchListener listener)
            throws IOException, InterruptedException {
        String stem = peer.name() + "-t" + request.threads();
        Path requestFile = workDir.resolve(stem + ".request.properties");
        Path reportFile = workDir.resolve(stem + ".report.properties");
        Path log = workDir.resolve(stem + ".log");
        request.write(requestFile);
        Files.deleteIfExists(reportFile);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(peer.jvmArguments(request.threads()));
        command.addAll(List.of("-cp", peer.classPath(), peer.mainClass(),
                "--request", requestFile.toString(), "--report", reportFile.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        for (String variable : THREAD_VARIABLES) {
            env.put(variable, Integer.toString(request.threads()));
        }
        Process process = builder.start();
        int exit;
        try {
            copyOutput(process, log, listener);
            exit = process.waitFor();
        } catch (InterruptedException | IOException e) {
            process.destroyForcibly();
            throw e;
        }
        if (exit != 0 || !Files.exists(reportFile)) {
            throw new IOException("peer " + peer.name() + " exited with code " + exit + " (log: " + log + ")"
                    + tail(log));
        }
        return PeerReport.read(reportFile);
    }

    /** Copies the peer's output to the log until it ends, passing its progress lines on. */
    private static void copyOutput(Process process, Path log, BenchListener listener) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write(line);
                out.newLine();
                if (line.startsWith(PeerMain.PROGRESS)) {
                    listener.progress(line.substring(PeerMain.PROGRESS.length()));
                }
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size());
            return last.isEmpty() ? "" : "; last lines:\n  " + String.join("\n  ", last);
        } catch (IOException e) {
            return "";
        }
    }
}
