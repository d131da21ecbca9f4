package dev.lstm4j.conformance;

import dev.lstm4j.api.CellType;
import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every suite shares: a fresh backend per test from {@link #createBackend()}, and the check that the
 * test leaves no native memory behind. A backend module runs a suite by extending it in its test scope:
 * <pre>{@code
 * class CpuForwardTest extends ForwardConformance {
 *     protected Backend createBackend() { return new CpuBackendProvider().create(); }
 * }
 * }</pre>
 */
public abstract class ConformanceSuite {
    private Backend backend;
    private boolean backendClosed;

    /** A new backend instance; called once per test, which closes it. */
    protected abstract Backend createBackend();

    @BeforeEach
    final void openBackend() {
        backend = createBackend();
        backendClosed = false;
        assertEquals(0, backend.liveBytes(), "a new backend must hold no live bytes");
    }

    /**
     * Every test closes everything it created, so the backend must report zero live bytes; then the backend
     * is closed and must still report zero.
     */
    @AfterEach
    final void requireNoLiveBytes() {
        long live = backend.liveBytes();
        if (!backendClosed) {
            backend.close();
        }
        assertEquals(0, live, "native bytes still live after the test closed every tensor, parameter, reserve "
                + "and Rnn it created");
        assertEquals(0, backend.liveBytes(), "native bytes live after closing the backend");
    }

    /** The backend under test. */
    protected final Backend backend() {
        return backend;
    }

    /** Closes the backend before the test ends (the suite will not close it again). */
    protected final void closeBackend() {
        backend.close();
        backendClosed = true;
    }

    /**
     * Why this backend does not train stacks with dropout between layers, or null when it does (the default).
     * A backend that refuses must do so by name; its dropout tests are then skipped with this reason.
     */
    protected String dropoutTrainingUnsupported() {
        return null;
    }

    /**
     * Why this backend does not run stacks of {@code cell}, or null when it does (the default). A backend that
     * refuses must do so by name ({@code backend.rnn} throws); tests of that cell are then skipped with this reason.
     */
    protected String cellUnsupported(CellType cell) {
        return null;
    }

    /**
     * Why this backend does not run LSTMs with projection ({@code projSize}), or null when it does (the default).
     * A backend that refuses must do so by name; projection tests are then skipped with this reason.
     */
    protected String projectionUnsupported() {
        return null;
    }

    /** Skips the test (with the reason) when the backend does not run projection. */
    protected final void assumeProjection() {
        String reason = projectionUnsupported();
        assumeTrue(reason == null, () -> "skipped: " + reason);
    }

    /** Skips the test (with the reason) when the backend does not run {@code cell}. */
    protected final void assumeCell(CellType cell) {
        String reason = cellUnsupported(cell);
        assumeTrue(reason == null, () -> "skipped: " + reason);
    }

    /** Skips the test (with the reason) when the backend does not compute in {@code dtype}. */
    protected final void assumeSupported(DType dtype) {
        assumeTrue(backend.supportedDTypes().contains(dtype),
                () -> backend.name() + " does not support " + dtype + " (supports " + backend.supportedDTypes() + ")");
    }

    /** FLOAT32 when supported, else any supported dtype: for tests whose property does not depend on it. */
    protected final DType anySupportedDType() {
        return backend.supportedDTypes().contains(DType.FLOAT32) ? DType.FLOAT32
                : backend.supportedDTypes().iterator().next();
    }

    /** Sets up {@code c} on the backend under test. */
    protected final Fixture fixture(DType dtype, Case c) {
        return Fixture.open(backend, dtype, c);
    }
}
