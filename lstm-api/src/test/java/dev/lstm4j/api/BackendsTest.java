package dev.lstm4j.api;

import dev.lstm4j.api.spi.Availability;
import dev.lstm4j.api.spi.BackendProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendsTest {

    /** A provider whose probe result is fixed; create() returns a recognisable marker. */
    private record FakeProvider(String name, int priority, Availability availability, Backend made)
            implements BackendProvider {
        @Override
        public Availability probe() {
            return availability;
        }

        @Override
        public Backend create() {
            return made;
        }
    }

    private static final class ThrowingProbe implements BackendProvider {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public int priority() {
            return 1000;
        }

        @Override
        public Availability probe() {
            throw new UnsatisfiedLinkError("libbroken.so: cannot open shared object file");
        }

        @Override
        public Backend create() {
            throw new AssertionError("must not be created");
        }
    }

    private static Backend marker(String name) {
        return (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(),
                new Class<?>[] {Backend.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> name;
                    case "toString" -> "marker " + name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private final Backend cpu = marker("cpu");
    private final Backend gpu = marker("gpu");
    private final FakeProvider cpuOk = new FakeProvider("cpu", 100, Availability.available("OpenBLAS"), cpu);
    private final FakeProvider gpuOk = new FakeProvider("gpu", 200, Availability.available("H100"), gpu);
    private final FakeProvider gpuMissing = new FakeProvider("gpu", 200,
            Availability.unavailable("libcuda.so.1 not found", new UnsatisfiedLinkError("libcuda.so.1")), gpu);

    @Test
    void highestPriorityAvailableProviderWins() {
        assertSame(gpu, Backends.of(List.of(cpuOk, gpuOk)).create(Optional.empty()));
    }

    @Test
    void unavailableProviderIsSkippedWhenNoneIsNamed() {
        assertSame(cpu, Backends.of(List.of(cpuOk, gpuMissing)).create(Optional.empty()));
    }

    @Test
    void probeThatThrowsCountsAsUnavailableWithItsError() {
        Backends backends = Backends.of(List.of(cpuOk, new ThrowingProbe()));
        assertSame(cpu, backends.create(Optional.empty()));
        assertTrue(backends.describe().contains("libbroken.so"), backends.describe());
    }

    @Test
    void namedUnavailableBackendFailsWithItsReasonAndCauseInsteadOfFallingBack() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.of(List.of(cpuOk, gpuMissing)).create(Optional.of("GPU")));
        assertTrue(e.getMessage().contains("libcuda.so.1 not found"), e.getMessage());
        assertTrue(e.getCause() instanceof UnsatisfiedLinkError);
    }

    @Test
    void unknownNameListsTheProvidersFound() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.of(List.of(cpuOk, gpuOk)).create(Optional.of("tpu")));
        assertTrue(e.getMessage().contains("tpu") && e.getMessage().contains("cpu") && e.getMessage().contains("gpu"),
                e.getMessage());
    }

    @Test
    void nothingAvailableListsEveryProviderAndWhy() {
        FakeProvider cpuMissing = new FakeProvider("cpu", 100, Availability.unavailable("no OpenBLAS for "
                + "linux-riscv64", null), cpu);
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.of(List.of(cpuMissing, gpuMissing)).create(Optional.empty()));
        assertTrue(e.getMessage().contains("linux-riscv64") && e.getMessage().contains("libcuda.so.1"), e.getMessage());
        assertEquals(1, e.getSuppressed().length);
    }

    @Test
    void noProviderAtAllSaysWhichJarIsMissing() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.of(List.of()).create(Optional.empty()));
        assertTrue(e.getMessage().contains("lstm-cpu"), e.getMessage());
    }

    @Test
    void systemPropertyWinsOverEnvironmentAndBlankMeansUnset() {
        Map<String, String> env = Map.of("LSTM_BACKEND", "gpu");
        assertEquals(Optional.of("cpu"), LstmConfig.BACKEND.value(p -> "cpu", env));
        assertEquals(Optional.of("gpu"), LstmConfig.BACKEND.value(p -> null, env));
        assertEquals(Optional.of("gpu"), LstmConfig.BACKEND.value(p -> " ", env));
        assertEquals(Optional.empty(), LstmConfig.BACKEND.value(p -> null, Map.of()));
    }

    @Test
    void availabilityDescriptionIncludesTheCauseChain() {
        Availability a = Availability.unavailable("cannot load", new IllegalStateException("outer",
                new UnsatisfiedLinkError("libopenblas.so.0: wrong ELF class")));
        assertTrue(a.describe().contains("wrong ELF class"), a.describe());
    }
}
