package dev.lstm4j.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every kernel source shipped as a resource compiles with {@code nvcc -ptx} for Ampere and Hopper and exports
 * its entry points unmangled (NVRTC looks them up by name). Skips, saying so, where no nvcc is on the PATH.
 */
class KernelSourcesCompileTest {
    private static final String POINTWISE = "kernels/lstm_pointwise.cu";
    private static final List<String> ENTRIES = Kernels.ENTRY_POINTS;

    @ParameterizedTest(name = "compute_{0}")
    @ValueSource(ints = {80, 90})
    void pointwiseKernelsCompileForTheArchitecture(int arch, @TempDir Path dir) throws Exception {
        Path nvcc = KernelHost.onPath("nvcc");
        assumeTrue(nvcc != null, "skipped: nvcc is not on the PATH (the team's machines have CUDA 13.0's)");
        Path source = dir.resolve("lstm_pointwise.cu");
        try (InputStream in = CudaProbe.class.getResourceAsStream(POINTWISE)) {
            assertNotNull(in, POINTWISE + " missing from the jar");
            Files.copy(in, source);
        }
        Path ptx = dir.resolve("out.ptx");
        Process p = new ProcessBuilder(nvcc.toString(), "-ptx", "-arch=compute_" + arch, source.toString(), "-o",
                ptx.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nvcc timed out");
        assertEquals(0, p.exitValue(), "nvcc failed:\n" + output);
        String text = Files.readString(ptx);
        for (String entry : ENTRIES) {
            assertTrue(text.contains(".entry " + entry + "("), entry + " not exported unmangled");
        }
        assertTrue(text.contains(".target sm_" + arch), "PTX targets another architecture");
    }

    @Test
    void sourceNeedsNoHeadersSoNvrtcCompilesItAsIs() throws IOException {
        try (InputStream in = CudaProbe.class.getResourceAsStream(POINTWISE)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.lines().noneMatch(l -> l.trim().startsWith("#include")),
                    "NVRTC has no standard headers by default");
        }
    }
}
