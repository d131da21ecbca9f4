package dev.lstm4j.train;

import dev.lstm4j.api.DType;
import dev.lstm4j.api.Shapes;
import dev.lstm4j.api.Tensor;
import dev.lstm4j.api.io.NdArray;

import java.util.Arrays;
import java.util.Map;

/** Host copies of named tensors, in the tensor's own precision, for checkpoints. */
final class StateDict {
    private StateDict() {
    }

    static NdArray toHost(Tensor t) {
        return t.dtype() == DType.FLOAT32 ? NdArray.of(t.toFloatArray(), t.shape())
                : NdArray.of(t.toDoubleArray(), t.shape());
    }

    /** Copies {@code arrays.get(name)} into {@code target}, which it must match in shape. */
    static void copyInto(Map<String, NdArray> arrays, String name, Tensor target) {
        NdArray array = require(arrays, name, target.shape());
        if (target.dtype() == DType.FLOAT32) {
            target.copyFrom(array.toFloats());
        } else {
            target.copyFrom(array.toDoubles());
        }
    }

    static NdArray require(Map<String, NdArray> arrays, String name, long[] shape) {
        NdArray array = arrays.get(name);
        if (array == null) {
            throw new IllegalArgumentException("tensor " + name + " is missing; present: " + arrays.keySet());
        }
        if (!Arrays.equals(array.shape(), shape)) {
            throw new IllegalArgumentException("tensor " + name + " has shape " + Shapes.format(array.shape())
                    + ", expected " + Shapes.format(shape));
        }
        return array;
    }
}
