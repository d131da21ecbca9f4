package dev.lstm4j.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pointwise kernel sources built as a CPU program (test resources {@code host/}: a shim that turns a launch
 * into a loop over every block and thread), so their arithmetic is checked on machines without a GPU. Arrays
 * travel as raw little-endian files.
 */
final class KernelHost {
    private final Path dir;
    private final Path binary;

    private KernelHost(Path dir, Path binary) {
        this.dir = dir;
        this.binary = binary;
    }

    /** Builds the harness with g++ in {@code dir}; null when no g++ is on the PATH. */
    static KernelHost build(Path dir) throws IOException, InterruptedException {
        Path gxx = onPath("g++");
        if (gxx == null) {
            return null;
        }
        copy("host/kernel_host_shim.h", dir.resolve("kernel_host_shim.h"));
        copy("host/kernel_host_harness.cpp", dir.resolve("kernel_host_harness.cpp"));
        copy("kernels/lstm_pointwise.cu", dir.resolve("lstm_pointwise.cu"));
        Path binary = dir.resolve("harness");
        String out = run(List.of(gxx.toString(), "-O1", "-std=c++17", "-Wall", "-Werror", "-I", dir.toString(),
                dir.resolve("kernel_host_harness.cpp").toString(), "-o", binary.toString()));
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("the kernel harness did not build:\n" + out);
        }
        return new KernelHost(dir, binary);
    }

    /** Runs one kernel over its whole grid; arguments after the folder as the harness documents them. */
    void launch(String op, Object... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), op, dir.toString()));
        for (Object a : args) {
            command.add(a instanceof Boolean b ? (b ? "1" : "0") : String.valueOf(a));
        }
        String out = run(command);
        if (!out.isEmpty()) {
            throw new IllegalStateException("harness " + op + " failed:\n" + out);
        }
    }

    void write(String name, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        Files.write(dir.resolve(name), b.array());
    }

    void write(String name, int[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        Files.write(dir.resolve(name), b.array());
    }

    float[] read(String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name))).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[b.remaining() / 4];
        b.asFloatBuffer().get(values);
        return values;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return p.exitValue() == 0 ? out : "exit " + p.exitValue() + ": " + out;
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = CudaProbe.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " missing");
            }
            Files.copy(in, target);
        }
    }

    static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(d, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
