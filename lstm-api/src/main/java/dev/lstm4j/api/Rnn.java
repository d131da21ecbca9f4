package dev.lstm4j.api;

/**
 * The operations of one recurrent stack on one backend in one dtype, split as cuDNN splits them because
 * that is the split training needs.
 *
 * <p>All tensors must belong to {@link #backend()}, be open, have {@link #dtype()}, and have the shapes
 * that {@link #spec()} implies; anything else is rejected with an exception that names what was expected
 * and what was given.
 */
public interface Rnn extends AutoCloseable {

    RnnSpec spec();

    DType dtype();

    Backend backend();

    /** New zero parameters for this stack. */
    Parameters newParameters();

    /** New parameters drawn uniformly from {@code ±1/sqrt(H)} as PyTorch does, reproducibly from {@code seed}. */
    default Parameters initParameters(long seed) {
        Parameters p = newParameters();
        try {
            p.initUniform(seed);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    /** Forward pass that keeps nothing per step. */
    RnnOutputs forwardInference(Parameters params, RnnInputs inputs);

    /** Forward pass that also returns what backpropagation needs. */
    TrainingForward forwardTraining(Parameters params, RnnInputs inputs);

    /** Gradients with respect to {@code x}, {@code h0} and {@code c0}; runs once per reserve. */
    InputGradients backwardData(TrainingReserve reserve, OutputGradients gradients);

    /** Adds the gradients with respect to every parameter into {@code gradients}; after {@link #backwardData}. */
    void backwardWeights(TrainingReserve reserve, Parameters gradients);

    /** Releases cached workspaces. */
    @Override
    void close();
}
