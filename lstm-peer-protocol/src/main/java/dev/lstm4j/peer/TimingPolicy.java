package dev.lstm4j.peer;

/**
 * How long to warm up and how long to measure. Warm-up runs until both its iteration count and its time
 * are reached (JIT compilation, page faults and BLAS buffers settle there); measurement likewise, capped at
 * {@code maxIterations}.
 */
public record TimingPolicy(int warmupIterations, long warmupMillis, int minIterations, long minMillis,
                           int maxIterations) {

    /** Several seconds per case: the figures to publish. */
    public static final TimingPolicy STANDARD = new TimingPolicy(3, 1000, 5, 2000, 200);
    /** About a second per case: still a warm-up and a median of several runs, but noisier. */
    public static final TimingPolicy QUICK = new TimingPolicy(2, 200, 3, 500, 50);

    public TimingPolicy {
        if (warmupIterations < 0 || warmupMillis < 0 || minMillis < 0) {
            throw new IllegalArgumentException("warm-up and time limits must be >= 0: " + this);
        }
        if (minIterations < 1 || maxIterations < minIterations) {
            throw new IllegalArgumentException("need 1 <= minIterations <= maxIterations: " + this);
        }
    }

    /** As text for request files: the five numbers, comma-separated. */
    public String format() {
        return warmupIterations + "," + warmupMillis + "," + minIterations + "," + minMillis + "," + maxIterations;
    }

    public static TimingPolicy parse(String text) {
        String[] p = text.split(",");
        if (p.length != 5) {
            throw new IllegalArgumentException("timing policy needs 5 comma-separated numbers, got '" + text + "'");
        }
        return new TimingPolicy(Integer.parseInt(p[0].trim()), Long.parseLong(p[1].trim()),
                Integer.parseInt(p[2].trim()), Long.parseLong(p[3].trim()), Integer.parseInt(p[4].trim()));
    }
}
