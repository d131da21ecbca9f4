package dev.lstm4j.bench.jmh;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.LstmConfig;
import dev.lstm4j.api.spi.Availability;

/**
 * Creates the backend a benchmark trial asked for with the thread count it asked for. A backend that cannot
 * run here fails the trial at setup with its probe's reason, which JMH prints before going on to the next.
 */
final class BackendFixture {

    private BackendFixture() {
    }

    static Backend create(String name, int threads) {
        // The cpu backend applies this when created; each JMH fork is a fresh JVM, so nothing leaks across.
        System.setProperty(LstmConfig.CPU_THREADS.property(), Integer.toString(threads));
        Backends backends = Backends.discover();
        Availability availability = backends.statuses().stream().filter(s -> s.name().equals(name))
                .map(Backends.ProviderStatus::availability).findFirst()
                .orElse(Availability.unavailable("no provider named '" + name + "' on the class path", null));
        if (!availability.available()) {
            throw new IllegalStateException("skipped: backend " + name + " unavailable: " + availability.detail());
        }
        return Backends.select(name);
    }

    /** Closes the backend, failing the trial if the benchmark left native memory allocated. */
    static void closeChecked(Backend backend) {
        if (backend == null) {
            return;
        }
        long leaked = backend.liveBytes();
        backend.close();
        if (leaked != 0) {
            throw new IllegalStateException(leaked + " native bytes still live after the trial");
        }
    }
}
