package dev.lstm4j.api;

import dev.lstm4j.api.spi.Availability;
import dev.lstm4j.api.spi.BackendProvider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds backends through {@link ServiceLoader} and picks one.
 *
 * <p>Order: the name in system property {@code lstm.backend}, else environment variable
 * {@code LSTM_BACKEND}, else the available provider with the highest priority. A named backend that
 * cannot run fails with its reason; lstm4j never silently falls back to another one.
 */
public final class Backends {

    /** A provider together with what its probe said. */
    public record ProviderStatus(BackendProvider provider, Availability availability) {
        public String name() {
            return provider.name();
        }
    }

    private final List<BackendProvider> providers;

    private Backends(List<BackendProvider> providers) {
        this.providers = providers.stream()
                .sorted(Comparator.comparingInt(BackendProvider::priority).reversed()
                        .thenComparing(BackendProvider::name))
                .toList();
    }

    /** Providers found on the class path or module path. */
    public static Backends discover() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(found::add);
        return new Backends(found);
    }

    /** A fixed set of providers (for tests and embedding). */
    public static Backends of(List<BackendProvider> providers) {
        return new Backends(providers);
    }

    /** Selects a backend as described in the class comment, from discovered providers. */
    public static Backend select() {
        return discover().create(LstmConfig.BACKEND.value());
    }

    /** Creates the backend called {@code name}, failing with its reason if it cannot run here. */
    public static Backend select(String name) {
        return discover().create(Optional.of(name));
    }

    /** Every provider with its probe result, highest priority first. */
    public List<ProviderStatus> statuses() {
        return providers.stream().map(p -> new ProviderStatus(p, safeProbe(p))).toList();
    }

    /** Creates the named backend, or the best available one when {@code name} is empty. */
    public Backend create(Optional<String> name) {
        if (name.isPresent()) {
            return createNamed(name.get());
        }
        List<ProviderStatus> statuses = statuses();
        for (ProviderStatus s : statuses) {
            if (s.availability().available()) {
                return s.provider().create();
            }
        }
        BackendUnavailableException e = new BackendUnavailableException(
                "no lstm4j backend can run here. " + (statuses.isEmpty()
                        ? "No provider was found: put a backend jar such as lstm-cpu on the class path."
                        : "Providers found:\n" + describe(statuses)), null);
        statuses.forEach(s -> {
            if (s.availability().cause() != null) {
                e.addSuppressed(s.availability().cause());
            }
        });
        throw e;
    }

    private Backend createNamed(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (BackendProvider p : providers) {
            if (p.name().equalsIgnoreCase(wanted)) {
                Availability a = safeProbe(p);
                if (!a.available()) {
                    throw new BackendUnavailableException("backend '" + p.name() + "' was requested ("
                            + LstmConfig.BACKEND.property() + " / " + LstmConfig.BACKEND.environment()
                            + " or by name) but cannot run here: " + a.detail(), a.cause());
                }
                return p.create();
            }
        }
        throw new BackendUnavailableException("backend '" + name + "' was requested but no such provider is on the "
                + "class path; found: " + providers.stream().map(BackendProvider::name).toList(), null);
    }

    /** A human-readable table of every provider, its priority, and whether and why it can run. */
    public String describe() {
        return describe(statuses());
    }

    private static String describe(List<ProviderStatus> statuses) {
        StringBuilder sb = new StringBuilder();
        for (ProviderStatus s : statuses) {
            sb.append(String.format(Locale.ROOT, "  %-6s priority %4d  %s  %s%n", s.name(), s.provider().priority(),
                    s.availability().available() ? "available  " : "unavailable", s.availability().describe()));
        }
        return sb.toString();
    }

    private static Availability safeProbe(BackendProvider p) {
        try {
            Availability a = p.probe();
            return a != null ? a : Availability.unavailable("probe of " + p.name() + " returned nothing", null);
        } catch (Throwable t) {  // a probe must never take selection down, whatever a native library does
            return Availability.unavailable("probe of " + p.name() + " threw " + t, t);
        }
    }
}
