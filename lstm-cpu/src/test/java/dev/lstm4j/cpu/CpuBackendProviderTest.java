package dev.lstm4j.cpu;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuBackendProviderTest {

    @Test
    void serviceLoaderFindsTheCpuProviderAndItIsAvailableHere() {
        List<Backends.ProviderStatus> statuses = Backends.discover().statuses();
        Backends.ProviderStatus cpu = statuses.stream().filter(s -> s.name().equals("cpu")).findFirst().orElseThrow();
        assertTrue(cpu.availability().available(), cpu.availability().describe());
        assertTrue(cpu.availability().detail().contains("OpenBLAS"), cpu.availability().detail());
    }

    @Test
    void selectingByNameGivesAWorkingCpuBackend() {
        try (Backend backend = Backends.select("cpu")) {
            assertInstanceOf(CpuBackend.class, backend);
            assertTrue(backend.description().contains("core"), backend.description());
            try (Tensor t = backend.tensor(new float[] {1, 2, 3}, 3)) {
                assertEquals(12, backend.liveBytes());
                assertEquals(2.0, t.toDoubleArray()[1]);
            }
            assertEquals(0, backend.liveBytes());
        }
    }

    @Test
    void describeListsTheCpuProviderWithItsPriority() {
        String text = Backends.discover().describe();
        assertTrue(text.contains("cpu") && text.contains("100") && text.contains("available"), text);
    }

    @Test
    void allocationBeyondTheNativeCapFailsCleanlyAndTheBackendStaysUsable() {
        try (Backend backend = Backends.select("cpu")) {
            NativeMemoryException e = assertThrows(NativeMemoryException.class,
                    () -> backend.allocate(DType.FLOAT32, 1L << 20, 1L << 20, 64));
            assertTrue(e.getMessage().contains("bytes"), e.getMessage());
            assertEquals(0, backend.liveBytes());
            try (Tensor t = backend.allocate(DType.FLOAT64, 4)) {
                assertEquals(4, t.toDoubleArray().length);
            }
            assertEquals(0, backend.liveBytes());
        }
    }

    @Test
    void stackWhoseWeightMatrixCannotBeStagedIsRejectedUpFront() {
        try (Backend backend = Backends.select("cpu")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> backend.rnn(dev.lstm4j.api.RnnSpec.lstm(16, 30_000).build(), DType.FLOAT32));
            assertTrue(e.getMessage().contains("too large for the cpu backend"), e.getMessage());
            assertEquals(0, backend.liveBytes());
        }
    }

    @Test
    void systemPropertyNamesTheBackendThatSelectReturnsOrFailsFor() {
        String saved = System.getProperty("lstm.backend");
        try {
            System.setProperty("lstm.backend", "CPU");
            try (Backend backend = Backends.select()) {
                assertInstanceOf(CpuBackend.class, backend);
            }
            System.setProperty("lstm.backend", "tpu");
            dev.lstm4j.api.BackendUnavailableException e = assertThrows(
                    dev.lstm4j.api.BackendUnavailableException.class, Backends::select);
            assertTrue(e.getMessage().contains("tpu") && e.getMessage().contains("cpu"), e.getMessage());
        } finally {
            if (saved == null) {
                System.clearProperty("lstm.backend");
            } else {
                System.setProperty("lstm.backend", saved);
            }
        }
    }
}
