package dev.lstm4j.cuda;

import dev.lstm4j.api.spi.Availability;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way the probe can fail, simulated, and the message a user gets for each. */
class CudaProbeTest {
    @TempDir
    Path libs;
    private FakeNatives natives;

    /** A machine with an H100, driver CUDA 13.0, every library present; tests break one thing each. */
    static final class FakeNatives implements CudaNatives {
        Throwable runtimeError;
        int driver = 13000;
        RuntimeException countError;
        int count = 1;
        final Map<CudaLibrary, Throwable> libraryErrors = new EnumMap<>(CudaLibrary.class);

        @Override
        public void loadRuntime() {
            rethrow(runtimeError);
        }

        @Override
        public int driverVersion() {
            return driver;
        }

        @Override
        public int deviceCount() {
            if (countError != null) {
                throw countError;
            }
            return count;
        }

        @Override
        public String deviceName(int device) {
            return "NVIDIA H100 80GB HBM3";
        }

        @Override
        public int computeCapability(int device) {
            return 90;
        }

        @Override
        public void loadLibrary(CudaLibrary library) {
            rethrow(libraryErrors.get(library));
        }

        private static void rethrow(Throwable t) {
            if (t instanceof Error e) {
                throw e;
            }
            if (t instanceof RuntimeException e) {
                throw e;
            }
        }
    }

    @BeforeEach
    void healthyMachine() throws IOException {
        natives = new FakeNatives();
        Files.createFile(libs.resolve("libcuda.so.1"));
    }

    private CudaProbe.Result probe(int device) {
        return new CudaProbe(natives, new LibraryLocator(List.of(libs))).probe(device);
    }

    private static String reason(CudaProbe.Result r) {
        assertFalse(r.availability().available(), "expected unavailable, got " + r.availability().detail());
        return r.availability().detail();
    }

    @Test
    void healthyMachineIsAvailableAndDescribesTheDevice() {
        CudaProbe.Result r = probe(0);
        assertTrue(r.availability().available(), r.availability().detail());
        assertEquals("device 0: NVIDIA H100 80GB HBM3 (sm_90), driver supports CUDA 13.0", r.availability().detail());
        assertEquals(90, r.device().orElseThrow().computeCapability());
    }

    @Test
    void missingDriverSaysSoAndMentionsContainersWithoutGpus() throws IOException {
        Files.delete(libs.resolve("libcuda.so.1"));
        UnsatisfiedLinkError linker = new UnsatisfiedLinkError("libcuda.so.1: cannot open shared object file");
        natives.runtimeError = linker;
        CudaProbe.Result r = probe(0);
        String reason = reason(r);
        assertTrue(reason.startsWith("libcuda.so.1 not found (looked in"), reason);
        assertTrue(reason.contains(libs.toString()) && reason.contains("--gpus"), reason);
        assertSame(linker, r.availability().cause(), "the linker's error is kept as the cause");
    }

    @Test
    void missingRuntimeIsNamedWithWhereToGetIt() {
        natives.runtimeError = new UnsatisfiedLinkError("/tmp/libjnicudart.so: libcudart.so.13: cannot open shared "
                + "object file: No such file or directory");
        String reason = reason(probe(0));
        assertTrue(reason.startsWith("libcudart.so.13 not found"), reason);
        assertTrue(reason.contains("nvidia-cuda-runtime-cu13") && reason.contains("LD_LIBRARY_PATH"), reason);
    }

    @Test
    void unrecognisedLoadFailureKeepsTheErrorText() {
        natives.runtimeError = new NoClassDefFoundError("org/bytedeco/cuda/global/cudart");
        String reason = reason(probe(0));
        assertTrue(reason.contains("libcudart.so.13 bindings could not be loaded")
                && reason.contains("NoClassDefFoundError"), reason);
    }

    @Test
    void oldDriverIsReportedWithBothVersions() {
        natives.driver = 12080;
        String reason = reason(probe(0));
        assertTrue(reason.contains("supports CUDA 12.8 but lstm4j needs CUDA 13.0"), reason);
    }

    @Test
    void driverErrorOnDeviceCountIsReportedWithTheCall() {
        natives.countError = new CudaException("cudaGetDeviceCount", 100, "cudaErrorNoDevice",
                "no CUDA-capable device is detected");
        String reason = reason(probe(0));
        assertTrue(reason.contains("cudaGetDeviceCount failed: cudaErrorNoDevice (100)"), reason);
    }

    @Test
    void noDeviceIsReported() {
        natives.count = 0;
        assertTrue(reason(probe(0)).startsWith("the driver sees no CUDA device"));
    }

    @Test
    void deviceIndexOutOfRangeNamesTheSetting() {
        String reason = reason(probe(3));
        assertTrue(reason.contains("lstm.cuda.device") && reason.contains("is 3 but only 1 device"), reason);
    }

    @Test
    void missingCudnnIsNamedTogetherWithTheDeviceFound() {
        natives.libraryErrors.put(CudaLibrary.CUDNN,
                new UnsatisfiedLinkError("libjnicudnn.so: libcudnn.so.9: cannot open shared object file"));
        String reason = reason(probe(0));
        assertTrue(reason.startsWith("libcudnn.so.9 not found") && reason.contains("nvidia-cudnn-cu13"), reason);
        assertTrue(reason.contains("NVIDIA H100"), reason);
    }

    @Test
    void missingCublasStopsBeforeNvrtc() {
        natives.libraryErrors.put(CudaLibrary.CUBLAS, new UnsatisfiedLinkError("libcublas.so.13: cannot open"));
        natives.libraryErrors.put(CudaLibrary.NVRTC, new UnsatisfiedLinkError("libnvrtc.so.13: cannot open"));
        assertTrue(reason(probe(0)).startsWith("libcublas.so.13 not found"));
    }

    @Test
    void versionsPrintAsMajorDotMinor() {
        assertEquals("13.0", CudaProbe.version(13000));
        assertEquals("12.8", CudaProbe.version(12080));
    }
}
