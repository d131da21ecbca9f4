package dev.lstm4j.train;

import dev.lstm4j.api.io.NdArray;

import java.util.List;
import java.util.Map;

/** A trainable model: its parameters for optimizers and its named host copies for checkpoints. */
public interface Model extends AutoCloseable {

    List<Parameter> parameters();

    /** Every parameter as a host copy under a stable name (the recurrent stack's in PyTorch's names). */
    Map<String, NdArray> stateDict();

    /** Loads every parameter from a {@link #stateDict()}-shaped map; each must be present with its shape. */
    void loadStateDict(Map<String, NdArray> in);

    @Override
    void close();
}
