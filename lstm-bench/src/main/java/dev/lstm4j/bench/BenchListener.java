package dev.lstm4j.bench;

/** Hears about a run as it goes, to show progress. Every method may be a no-op. */
public interface BenchListener {
    BenchListener SILENT = new BenchListener() {
    };

    /** Something is about to run, e.g. {@code lstm4j cpu medium train, 1 thread}. */
    default void started(String what) {
    }

    default void ceiling(CeilingResult result) {
    }

    default void result(BenchResult result) {
    }

    /** Progress inside a step that reports many cases at its end, such as a peer's JVM. */
    default void progress(String message) {
    }

    /** A note worth showing: a peer left out and why, a peer that disagrees. */
    default void note(String message) {
    }
}
