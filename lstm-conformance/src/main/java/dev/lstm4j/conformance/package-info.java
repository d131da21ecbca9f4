/**
 * Conformance suites that every lstm4j backend runs against itself, and the scalar fp64 reference LSTM
 * ({@link dev.lstm4j.conformance.Fp64Reference}) they compare with.
 *
 * <p>A backend module depends on {@code lstm-conformance} in its test scope and extends each suite once,
 * supplying a fresh backend per test:
 * <pre>{@code
 * class CpuForwardTest extends ForwardConformance {
 *     protected Backend createBackend() { return new CpuBackendProvider().create(); }
 * }
 * }</pre>
 * The suites: {@link dev.lstm4j.conformance.ForwardConformance},
 * {@link dev.lstm4j.conformance.BackwardConformance}, {@link dev.lstm4j.conformance.StateCarryConformance},
 * {@link dev.lstm4j.conformance.VariableLengthConformance}, {@link dev.lstm4j.conformance.BadInputConformance},
 * {@link dev.lstm4j.conformance.MemoryConformance} and {@link dev.lstm4j.conformance.GemmConformance} (the
 * backend's own GEMM). Tests parameterised by dtype are skipped, with the
 * reason, for dtypes the backend does not list in {@code supportedDTypes()}. Every test ends by checking
 * that the backend reports zero live bytes. Tolerances against the reference are in one table,
 * {@link dev.lstm4j.conformance.Tolerance}. All random values come from fixed seeds.
 */
package dev.lstm4j.conformance;
