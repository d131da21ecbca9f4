package dev.lstm4j.peer;

/**
 * The one timing loop that lstm4j and every peer are measured with, so their numbers differ only by the
 * engine: warm-up, then timed iterations, each timed on its own so that the median is available.
 */
public final class Timing {

    /** One iteration of the work being measured; it must finish its work before returning. */
    @FunctionalInterface
    public interface Iteration {
        void run() throws Exception;
    }

    private Timing() {
    }

    public static Samples measure(TimingPolicy policy, Iteration iteration) throws Exception {
        long warmupEnd = System.nanoTime() + policy.warmupMillis() * 1_000_000L;
        for (int i = 0; i < policy.warmupIterations() || System.nanoTime() < warmupEnd; i++) {
            iteration.run();
        }
        double[] samples = new double[policy.maxIterations()];
        long measureEnd = System.nanoTime() + policy.minMillis() * 1_000_000L;
        int n = 0;
        while (n < policy.maxIterations() && (n < policy.minIterations() || System.nanoTime() < measureEnd)) {
            long start = System.nanoTime();
            iteration.run();
            samples[n++] = (System.nanoTime() - start) / 1e6;
        }
        return new Samples(java.util.Arrays.copyOf(samples, n));
    }
}
