package dev.lstm4j.peer;

import dev.lstm4j.api.io.NdArray;

import java.util.Map;

/**
 * Another framework's LSTM, driven by {@link PeerMain} in its own JVM. An implementation builds the
 * framework's layer for a job's shape, loads the given PyTorch-named weights into it, and runs one iteration
 * per call, so that it computes the same function as lstm4j does.
 */
public interface PeerEngine {

    /** Short name used in reports: {@code pytorch}, {@code dl4j}. */
    String name();

    /** The framework's version, e.g. {@code 2.7.1}. */
    String version();

    /**
     * Applies the thread count before any work (native thread pools, BLAS threads). Called once, first.
     */
    void configureThreads(int threads);

    /** Facts for the provenance record: backend, BLAS vendor, threads as the framework reports them. */
    Map<String, String> provenance();

    /**
     * Builds the layer for {@code job} with {@code weights} (PyTorch names, float32) and the inputs.
     *
     * @param input          float32 {@code [T, B, I]}
     * @param outputGradient float32 {@code [T, B, directions*H]} for training, else null
     * @throws UnsupportedOperationException if the framework cannot compute this shape or mode; the message
     *                                       is reported as the job's outcome
     */
    PreparedRun prepare(PeerJob job, Map<String, NdArray> weights, NdArray input, NdArray outputGradient)
            throws Exception;

    /** One prepared case; holds the framework's native memory until closed. */
    interface PreparedRun extends AutoCloseable {

        /**
         * One iteration: the forward pass, or for training the forward pass, backward through time with the
         * prepared output gradient, and the weight gradients. Returns when the results are computed.
         */
        void run() throws Exception;

        /** y of the last iteration, float32 {@code [T, B, directions*H]}. */
        NdArray output() throws Exception;

        /** dL/dx of the last training iteration, float32 {@code [T, B, I]}. */
        NdArray inputGradient() throws Exception;

        @Override
        void close() throws Exception;
    }
}
