package dev.lstm4j.cuda;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.spi.Availability;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The real probe on whatever machine runs the tests: it must answer, never throw, and say why. */
class CudaBackendProviderTest {

    @Test
    void isFoundThroughServiceLoaderAboveTheCpuPriority() {
        var status = Backends.discover().statuses().stream().filter(s -> s.name().equals("cuda")).findFirst();
        assertTrue(status.isPresent(), "cuda provider not registered");
        assertTrue(status.get().provider().priority() > 100);
    }

    @Test
    void probeAnswersWithAReasonAndKeepsItsFirstOutcome() {
        CudaBackendProvider provider = new CudaBackendProvider();
        Availability first = provider.probe();
        assertNotNull(first.detail());
        assertSame(first, new CudaBackendProvider().probe(), "probed once per process");
        if (LibraryLocator.system().find("libcuda.so.1").isEmpty()) {
            assertFalse(first.available());
            assertTrue(first.detail().startsWith("libcuda.so.1 not found"), first.detail());
        }
    }

    @Test
    void createFailsWithTheProbeReasonWhereNoGpuIsUsable() {
        CudaBackendProvider provider = new CudaBackendProvider();
        assumeFalse(provider.probe().available(), "a GPU is usable here; createSelectsTheGpu covers this machine");
        var e = assertThrows(IllegalStateException.class, provider::create);
        assertTrue(e.getMessage().contains(provider.probe().detail()), e.getMessage());
    }

    @Tag("gpu")
    @Test
    void createOpensTheProbedDeviceAndSelectionPrefersIt() {
        try (Backend backend = GpuBackends.create(); Backend selected = Backends.select()) {
            assertEquals("cuda", backend.name());
            assertEquals("cuda", selected.name(), "a usable GPU outranks the cpu backend");
            assertTrue(backend.properties().get("device.sm").startsWith("sm_"), backend.properties().toString());
        }
    }
}
