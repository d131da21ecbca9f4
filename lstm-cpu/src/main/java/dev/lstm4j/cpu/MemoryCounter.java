package dev.lstm4j.cpu;

import java.util.concurrent.atomic.AtomicLong;

/** Native bytes a backend instance holds, so tests can prove that every allocation was freed. */
final class MemoryCounter {
    private final AtomicLong live = new AtomicLong();

    void allocated(long bytes) {
        live.addAndGet(bytes);
    }

    void freed(long bytes) {
        live.addAndGet(-bytes);
    }

    long live() {
        return live.get();
    }
}
