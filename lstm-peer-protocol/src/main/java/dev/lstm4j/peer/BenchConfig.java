package dev.lstm4j.peer;


/** A named stack shape from the benchmark catalogue ({@link BenchConfigs}). */
public record BenchConfig(String name, StackShape shape) {
}
