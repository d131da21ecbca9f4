package dev.lstm4j.bench.cli;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.Shapes;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.api.io.Npy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the results of {@code lstm run} as NPY files in the dtype the stack computed in, and remembers
 * what it wrote for the summary.
 */
final class RunOutputs {

    /** One file written: its name inside the directory and the shape of its array. */
    record Written(String file, long[] shape) {
        @Override
        public String toString() {
            return file + " " + Shapes.format(shape);
        }
    }

    private final Path dir;
    private final DType dtype;
    private final List<Written> arrays = new ArrayList<>();       // y, hn, cn, grad.x, ...
    private final List<Written> parameters = new ArrayList<>();   // grad.<parameter name>

    /** Creates {@code dir} (and its parents) when missing. */
    RunOutputs(Path dir, DType dtype) {
        this.dir = dir;
        this.dtype = dtype;
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new ToolFailure("--out " + dir + " exists and is not a directory", e);
        } catch (IOException e) {
            throw new ToolFailure("--out: cannot create the directory " + dir + ": " + ToolFailure.describe(e), e);
        }
    }

    Path dir() {
        return dir;
    }

    /** The outputs and input gradients written so far, in order. */
    List<Written> arrays() {
        return List.copyOf(arrays);
    }

    /** The parameter files written so far, in order. */
    List<Written> parameters() {
        return List.copyOf(parameters);
    }

    /** Writes {@code tensor} as {@code name}.npy. */
    void write(String name, Tensor tensor) {
        if (tensor == null) {
            return;   // a state the cell has not got (the GRU's c): no file
        }
        long[] shape = tensor.shape();
        arrays.add(write(name, dtype == DType.FLOAT64 ? NdArray.of(tensor.toDoubleArray(), shape)
                : NdArray.of(tensor.toFloatArray(), shape)));
    }

    /** Writes the parameter (or gradient) {@code parameter} of {@code params} as {@code name}.npy. */
    void write(String name, Parameters params, String parameter) {
        long[] shape = params.shape(parameter);
        parameters.add(write(name, dtype == DType.FLOAT64 ? NdArray.of(params.readDoubles(parameter), shape)
                : NdArray.of(params.readFloats(parameter), shape)));
    }

    private Written write(String name, NdArray array) {
        String file = name + ".npy";
        Path path = dir.resolve(file);
        try {
            Npy.write(array, path);
        } catch (IOException e) {
            throw new ToolFailure("--out: cannot write " + path + ": " + ToolFailure.describe(e), e);
        }
        return new Written(file, array.shape());
    }
}
