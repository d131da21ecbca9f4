package dev.lstm4j.api;

/** Closing several resources so that one failure does not leak the others. */
public final class Closeables {
    private Closeables() {
    }

    /** Closes every non-null resource; rethrows the first failure with the later ones suppressed. */
    public static void closeAll(AutoCloseable... resources) {
        RuntimeException first = null;
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception e) {
                RuntimeException wrapped = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                if (first == null) {
                    first = wrapped;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
