package dev.lstm4j.cpu;

import dev.lstm4j.api.spi.Availability;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_full;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Loads OpenBLAS once and remembers the outcome, so that a failure is reported with its first native error
 * every time instead of degrading into "Could not initialize class" on the second call.
 */
final class OpenBlas {
    private static volatile Availability availability;

    private OpenBlas() {
    }

    /** Loads the library on first call; never throws. */
    static Availability probe() {
        Availability a = availability;
        if (a == null) {
            synchronized (OpenBlas.class) {
                a = availability;
                if (a == null) {
                    a = load();
                    availability = a;
                }
            }
        }
        return a;
    }

    private static Availability load() {
        try {
            Loader.load(openblas_nolapack.class);
            return Availability.available(config() + ", core " + coreName() + ", " + threads() + " thread(s)");
        } catch (Throwable t) {  // UnsatisfiedLinkError, NoClassDefFoundError, ...: keep the first one
            // Not Loader.getPlatform(): when the JavaCPP jar itself is missing, that would throw again.
            String platform = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
            return Availability.unavailable("OpenBLAS could not be loaded on " + platform + ": the "
                    + "org.bytedeco:javacpp and org.bytedeco:openblas jars, including the native jar for this "
                    + "platform (Maven classifier such as linux-x86_64, or openblas-platform), must be on the "
                    + "class path; -Dorg.bytedeco.javacpp.logger.debug=true shows where JavaCPP looked", t);
        }
    }

    /** Throws with the load failure as cause if OpenBLAS is unavailable. */
    static void require() {
        Availability a = probe();
        if (!a.available()) {
            throw new IllegalStateException("cpu backend unavailable: " + a.detail(), a.cause());
        }
    }

    /** OpenBLAS's build configuration, e.g. {@code OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY SkylakeX}. */
    static String config() {
        return openblas_full.openblas_get_config().getString().trim();
    }

    /** The kernel family OpenBLAS chose (or was told through {@code OPENBLAS_CORETYPE}). */
    static String coreName() {
        return openblas_full.openblas_get_corename().getString().trim();
    }

    static int threads() {
        return openblas_full.openblas_get_num_threads();
    }

    static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("BLAS thread count must be >= 1, got " + threads);
        }
        openblas_full.openblas_set_num_threads(threads);
    }
}
