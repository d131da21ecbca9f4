package dev.lstm4j.api;

/**
 * The dropout mask between layers, as a pure function of (seed, layer, element), so that the fp64 reference
 * and every backend (CPU threads, GPU threads) draw the same mask without sharing a random stream, and a
 * training run is reproducible from its seeds.
 *
 * <p>{@code layer} is the layer whose output is dropped (0 .. L-2); {@code element} indexes that output in its
 * time-major layout {@code [T, B, D*P]}, row-major. An element is kept when a uniform draw in {@code [0, 1)}
 * is at least {@code p}; kept elements are scaled by {@code 1 / (1 - p)}.
 */
public final class DropoutMask {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long LAYER_MIX = 0xC2B2AE3D27D4EB4FL;

    private DropoutMask() {
    }

    /** Whether {@code element} of layer {@code layer}'s output survives dropout with probability {@code p}. */
    public static boolean keeps(long seed, int layer, long element, double p) {
        return uniform(seed, layer, element) >= p;
    }

    /** The factor applied to kept elements: {@code 1 / (1 - p)}. */
    public static double scale(double p) {
        return 1.0 / (1.0 - p);
    }

    /**
     * A uniform draw in {@code [0, 1)} with 53 random bits: the (seed, layer) pair is mixed into a stream key,
     * and the element is the counter of a SplitMix64 stream under that key.
     */
    static double uniform(long seed, int layer, long element) {
        long key = mix(seed ^ (LAYER_MIX * (layer + 1L)));
        return (mix(key + GOLDEN * (element + 1)) >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
