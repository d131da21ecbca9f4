package dev.lstm4j.api.spi;

import dev.lstm4j.api.Backend;

/**
 * A backend plugged in through {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/dev.lstm4j.api.spi.BackendProvider}.
 *
 * <p>Providers must be cheap to construct; native libraries are only touched in {@link #probe()}.
 */
public interface BackendProvider {

    /** The selection name, e.g. {@code cpu} or {@code cuda}. */
    String name();

    /** Higher wins when no backend is named; the CPU backend has 100, GPU backends more. */
    int priority();

    /**
     * Whether the backend can run here. Never throws; loads native libraries at most once and keeps the
     * first failure as the cause, so later calls report the real error again.
     */
    Availability probe();

    /** A new backend instance. Call only when {@link #probe()} says it is available. */
    Backend create();
}
