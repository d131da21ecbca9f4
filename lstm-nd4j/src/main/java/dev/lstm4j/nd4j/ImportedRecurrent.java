package dev.lstm4j.nd4j;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.ParameterLayout;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.io.ArrayDType;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.api.io.ParameterFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Recurrent layers imported from Deeplearning4j: the lstm4j stack they are ({@link #spec()}, time-major), its
 * weights under PyTorch's names and in PyTorch's layouts, the sequence layout DL4J fed them
 * ({@link #format()}: convert inputs with {@link Nd4jTensors#sequenceToTensor}), and which of the network's
 * layers they came from.
 *
 * @param weights every parameter of {@code spec}, in {@code state_dict} order; FLOAT32 or FLOAT64 as the DL4J
 *                network's parameters were
 */
public record ImportedRecurrent(RnnSpec spec, Map<String, NdArray> weights, RnnFormat format, List<Integer> layers) {

    public ImportedRecurrent {
        Objects.requireNonNull(spec, "spec");
        weights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        Objects.requireNonNull(format, "format");
        layers = List.copyOf(layers);
        List<String> expected = new ParameterLayout(spec).names();
        if (!expected.equals(List.copyOf(weights.keySet()))) {
            throw new IllegalArgumentException("weights " + weights.keySet() + " are not the parameters " + expected
                    + " of the stack");
        }
    }

    /** New parameters of {@link #spec()} on {@code backend}, in {@code dtype}, holding the weights. */
    public Parameters toParameters(Backend backend, DType dtype) {
        ParameterLayout layout = new ParameterLayout(spec);
        Parameters parameters = new Parameters(layout, backend.allocate(dtype, layout.totalSize()));
        try {
            copyTo(parameters);
            return parameters;
        } catch (RuntimeException e) {
            parameters.close();
            throw e;
        }
    }

    /** Writes the weights into {@code target}, which must be parameters of the same stack. */
    public void copyTo(Parameters target) {
        if (!target.spec().equals(spec)) {
            throw new IllegalArgumentException("the imported layers are " + spec + ", the target parameters "
                    + target.spec());
        }
        weights.forEach((name, array) -> {
            if (array.dtype() == ArrayDType.FLOAT64) {
                target.write(name, array.doubles());
            } else {
                target.write(name, array.floats());
            }
        });
    }

    /**
     * Saves the weights as a safetensors file with PyTorch's names, which {@link ParameterFiles#load} and
     * {@code lstm run} read, and which {@code nn.LSTM.load_state_dict} takes (peephole weights aside: PyTorch's
     * LSTM has none).
     */
    public void save(Path file) throws IOException {
        ParameterFiles.save(spec, weights, file);
    }
}
