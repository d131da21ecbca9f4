package dev.lstm4j.bench;

import dev.lstm4j.peer.BenchMode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one benchmark run measured, with the provenance needed to reproduce it. Every derived figure
 * (GFLOP/s, fraction of the ceiling, ratio to a peer) can be recomputed from the medians and shapes.
 */
public record BenchReport(Map<String, String> provenance, List<CeilingResult> ceilings, List<BenchResult> results) {

    public BenchReport {
        provenance = Map.copyOf(provenance);
        ceilings = List.copyOf(ceilings);
        results = List.copyOf(results);
    }

    /**
     * The ceiling a result is measured against: its own backend's GEMM at the same thread count; peers,
     * which run on the CPU, against the CPU's.
     */
    public Optional<CeilingResult> ceilingFor(BenchResult result) {
        return ceilings.stream()
                .filter(c -> c.backend().equals(result.backend()) && c.threads() == result.threads())
                .findFirst();
    }

    /** Achieved GFLOP/s over the ceiling's; empty when either is missing. */
    public Optional<Double> fractionOfCeiling(BenchResult result) {
        if (!result.ok()) {
            return Optional.empty();
        }
        return ceilingFor(result).map(c -> result.gflops() / c.gflops());
    }

    /** The results of peers on the same configuration, mode and threads as {@code lstm4j}. */
    public List<BenchResult> peersOf(BenchResult lstm4j) {
        return results.stream()
                .filter(r -> !r.isLstm4j() && r.config().name().equals(lstm4j.config().name())
                        && r.mode() == lstm4j.mode() && r.threads() == lstm4j.threads())
                .toList();
    }

    /**
     * How many times faster lstm4j is than the peer: peer median / lstm4j median (above 1: lstm4j is faster).
     */
    public static Optional<Double> speedup(BenchResult lstm4j, BenchResult peer) {
        if (!lstm4j.ok() || !peer.ok()) {
            return Optional.empty();
        }
        return Optional.of(peer.medianMillis() / lstm4j.medianMillis());
    }

    public List<BenchResult> lstm4jResults() {
        return results.stream().filter(BenchResult::isLstm4j).toList();
    }

    /** The distinct engine labels in order of appearance ({@code lstm4j cpu}, {@code pytorch}, ...). */
    public List<String> labels() {
        return results.stream().map(BenchResult::label).distinct().toList();
    }

    public List<BenchMode> modes() {
        return results.stream().map(BenchResult::mode).distinct().toList();
    }
}
