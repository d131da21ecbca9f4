package dev.lstm4j.peer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One case for a peer to measure.
 *
 * @param id             key that ties the report's entry to this job
 * @param config         the benchmark configuration's name, for messages
 * @param shape          the stack
 * @param mode           inference, or a training step
 * @param weights        safetensors file with PyTorch's names ({@code weight_ih_l0}, ...) and float32 values
 * @param input          NPY, float32 {@code [T, B, I]}
 * @param outputGradient NPY, float32 {@code [T, B, directions*H]}: the upstream gradient dL/dy of a training
 *                       step (the gradients of h_n and c_n are zero); null for inference
 * @param outputDir      where the peer writes {@value #OUTPUT_FILE} and, for training,
 *                       {@value #INPUT_GRADIENT_FILE}
 */
public record PeerJob(String id, String config, StackShape shape, BenchMode mode, Path weights, Path input,
                      Path outputGradient, Path outputDir) {

    /** y of the last iteration, float32 {@code [T, B, directions*H]}. */
    public static final String OUTPUT_FILE = "y.npy";
    /** dL/dx of the last training iteration, float32 {@code [T, B, I]}. */
    public static final String INPUT_GRADIENT_FILE = "dx.npy";

    public PeerJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(outputDir, "outputDir");
        if ((mode == BenchMode.TRAIN) != (outputGradient != null)) {
            throw new IllegalArgumentException("job " + id + ": an output gradient is needed for training and only"
                    + " then (mode " + mode + ", outputGradient " + outputGradient + ")");
        }
    }
}
