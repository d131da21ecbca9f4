package dev.lstm4j.train;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;

/** The CPU backend, which these tests train on (it holds FLOAT64 for finite differences). */
final class Cpu {
    private Cpu() {
    }

    static Backend backend() {
        return Backends.select("cpu");
    }
}
