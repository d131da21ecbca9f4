package dev.lstm4j.api.spi;

import java.util.Objects;

/**
 * The result of {@link BackendProvider#probe()}.
 *
 * @param available whether the backend can be created
 * @param detail    for an available backend, what it found (library, device); otherwise why it cannot run
 *                  and what to do about it, in words a user can act on
 * @param cause     the first native error behind an unavailable backend, or null
 */
public record Availability(boolean available, String detail, Throwable cause) {

    public Availability {
        Objects.requireNonNull(detail, "detail");
    }

    public static Availability available(String detail) {
        return new Availability(true, detail, null);
    }

    public static Availability unavailable(String reason, Throwable cause) {
        return new Availability(false, reason, cause);
    }

    /** The reason plus the cause chain's messages, for one-line diagnostics. */
    public String describe() {
        StringBuilder sb = new StringBuilder(detail);
        for (Throwable t = cause; t != null; t = t.getCause()) {
            sb.append(" [").append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
            sb.append(']');
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }
}
