package dev.lstm4j.cpu;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.spi.GemmCheck;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the CPU backend adds to the conformance suites: its provenance properties and its GEMM size limit. */
class CpuBackendTest {

    @Test
    void propertiesNameTheBlasTheCpuAndTheSettingsUnderStableKeys() {
        try (Backend backend = new CpuBackendProvider().create()) {
            Map<String, String> p = backend.properties();
            assertEquals(List.of("description", "blas", "blas.core", "blas.threads", "fastmath", "cpu.model",
                    "cpu.cores"), List.copyOf(p.keySet()));
            p.forEach((key, value) -> assertFalse(value.isBlank(), key + " is blank"));
            assertEquals(backend.description(), p.get("description"));
            assertTrue(p.get("blas").contains("OpenBLAS"), p.get("blas"));
            assertEquals(OpenBlas.threads(), Integer.parseInt(p.get("blas.threads")));
            assertEquals(Boolean.toString(FastMath.ENABLED), p.get("fastmath"));
            assertEquals(Runtime.getRuntime().availableProcessors(), Integer.parseInt(p.get("cpu.cores")));
            assertThrows(UnsupportedOperationException.class, () -> p.put("blas", "other"));
        }
    }

    /** A size past an int cannot be allocated in a test, so the check is called directly. */
    @Test
    void gemmSizesBeyondAnIntAreRejectedNamingTheSizeAndTheLimit() {
        GemmCheck.Sizes sizes = new GemmCheck.Sizes(3, 1L << 31, 5);
        assertEquals(3, CpuBackend.blasSize("m", sizes.m(), sizes));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CpuBackend.blasSize("n", sizes.n(), sizes));
        assertTrue(e.getMessage().contains("n = 2147483648") && e.getMessage().contains("2147483647"),
                e.getMessage());
    }

    @Test
    void synchronizeReturnsAtOnceOnTheSynchronousCpuBackend() {
        try (Backend backend = new CpuBackendProvider().create()) {
            backend.synchronize();
            assertEquals(0, backend.liveBytes());
        }
    }
}
