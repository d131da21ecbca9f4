package dev.lstm4j.bench;

import dev.lstm4j.peer.StackShape;

/** A named stack shape from the benchmark catalogue ({@link BenchConfigs}). */
public record BenchConfig(String name, StackShape shape) {
}
