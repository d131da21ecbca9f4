package dev.lstm4j.nd4j;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Objects;

/**
 * Copies between ND4J's {@link INDArray} and lstm4j's {@link Tensor}. Every method copies: an INDArray lives in
 * ND4J's memory, a tensor in its backend's (native or GPU memory), and neither can borrow the other's. A
 * conversion reads the array in logical (row-major) order, so any ordering ('c' or 'f') and any view works;
 * arrays that are not contiguous row-major are first copied into one ({@code dup('c')}).
 *
 * <p>Element types: ND4J's {@code FLOAT} becomes {@link DType#FLOAT32}, {@code DOUBLE} {@link DType#FLOAT64}, and
 * back. Sequences: DL4J's recurrent layers take {@code [B, F, T]} (NCW, their default) or {@code [B, T, F]}
 * (NWC); lstm4j's stacks take time-major {@code [T, B, F]}. Masks: DL4J marks the valid steps of each sequence
 * with ones in a {@code [B, T]} array; lstm4j takes each sequence's length.
 */
public final class Nd4jTensors {
    private Nd4jTensors() {
    }

    /** A new tensor on {@code backend} holding {@code array}, in the matching dtype (FLOAT or DOUBLE arrays). */
    public static Tensor toTensor(Backend backend, INDArray array) {
        return toTensor(backend, array, dtypeOf(array));
    }

    /** A new tensor of {@code dtype} on {@code backend} holding {@code array} (FLOAT or DOUBLE), converted. */
    public static Tensor toTensor(Backend backend, INDArray array, DType dtype) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(dtype, "dtype");
        dtypeOf(array);   // refuses other element types by name
        long[] shape = array.shape();
        if (array.length() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an INDArray of " + array.length() + " elements is larger than the "
                    + "largest Java array; convert it in parts");
        }
        if (array.length() == 0) {
            return backend.allocate(dtype, shape);
        }
        INDArray rowMajor = contiguousRowMajor(array);
        return array.dataType() == DataType.DOUBLE
                ? backend.tensor(dtype, rowMajor.data().asDouble(), shape)
                : backend.tensor(dtype, rowMajor.data().asFloat(), shape);
    }

    /** A new row-major INDArray holding {@code tensor}: FLOAT for FLOAT32 tensors, DOUBLE for FLOAT64. */
    public static INDArray toINDArray(Tensor tensor) {
        Objects.requireNonNull(tensor, "tensor");
        long[] shape = tensor.shape();
        if (tensor.size() == 0) {
            return Nd4j.create(tensor.dtype() == DType.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT, shape, 'c');
        }
        return tensor.dtype() == DType.FLOAT64
                ? Nd4j.create(tensor.toDoubleArray(), shape, 'c')
                : Nd4j.create(tensor.toFloatArray(), shape, 'c');
    }

    /** A DL4J sequence batch ({@code [B, F, T]} for NCW, {@code [B, T, F]} for NWC) as a time-major tensor. */
    public static Tensor sequenceToTensor(Backend backend, INDArray sequences, RnnFormat format) {
        return toTensor(backend, toTimeMajor(sequences, format));
    }

    /** As {@link #sequenceToTensor(Backend, INDArray, RnnFormat)}, converted to {@code dtype}. */
    public static Tensor sequenceToTensor(Backend backend, INDArray sequences, RnnFormat format, DType dtype) {
        return toTensor(backend, toTimeMajor(sequences, format), dtype);
    }

    /** A time-major {@code [T, B, F]} tensor (a stack's input or output) as a DL4J sequence batch. */
    public static INDArray sequenceFromTensor(Tensor timeMajor, RnnFormat format) {
        Objects.requireNonNull(format, "format");
        if (timeMajor.rank() != 3) {
            throw new IllegalArgumentException("expected a time-major [T, B, F] tensor, got shape "
                    + Arrays.toString(timeMajor.shape()));
        }
        INDArray tbf = toINDArray(timeMajor);
        return (format == RnnFormat.NCW ? tbf.permute(1, 2, 0) : tbf.permute(1, 0, 2)).dup('c');
    }

    /**
     * Each sequence's length from a DL4J mask {@code [B, T]} whose rows are ones then zeros (padding at the
     * end), as lstm4j's stacks take them ({@code RnnInputs.withLengths}). A row with a one after a zero, or a
     * value other than 0 and 1, is refused: lstm4j runs each sequence from its first step to its length.
     */
    public static int[] lengthsFromMask(INDArray mask) {
        Objects.requireNonNull(mask, "mask");
        if (mask.rank() != 2) {
            throw new IllegalArgumentException("expected a DL4J mask [batch, time], got shape "
                    + Arrays.toString(mask.shape()));
        }
        int batch = (int) mask.size(0);
        int steps = (int) mask.size(1);
        double[] values = contiguousRowMajor(mask.castTo(DataType.DOUBLE)).data().asDouble();
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            int length = 0;
            for (int t = 0; t < steps; t++) {
                double v = values[b * steps + t];
                if (v != 0 && v != 1) {
                    throw new IllegalArgumentException("mask[" + b + ", " + t + "] is " + v + "; a mask holds 0 and 1");
                }
                if (v == 1) {
                    if (length != t) {
                        throw new IllegalArgumentException("mask row " + b + " has a 1 at step " + t
                                + " after a 0 at step " + length + "; lstm4j takes sequences whose padding is at "
                                + "the end (ones, then zeros)");
                    }
                    length++;
                }
            }
            lengths[b] = length;
        }
        return lengths;
    }

    /** DL4J's mask {@code [B, T]} for sequences of {@code lengths} padded to {@code steps}: ones, then zeros. */
    public static INDArray maskFromLengths(int[] lengths, int steps, DataType dataType) {
        float[] mask = new float[lengths.length * steps];
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 0 || lengths[b] > steps) {
                throw new IllegalArgumentException("length " + lengths[b] + " of sequence " + b + " is outside [0, "
                        + steps + "]");
            }
            Arrays.fill(mask, b * steps, b * steps + lengths[b], 1f);
        }
        return Nd4j.create(mask, new long[] {lengths.length, steps}, 'c').castTo(dataType);
    }

    private static INDArray toTimeMajor(INDArray sequences, RnnFormat format) {
        Objects.requireNonNull(format, "format");
        if (sequences.rank() != 3) {
            throw new IllegalArgumentException("expected a DL4J sequence batch of rank 3 (" + (format == RnnFormat.NCW
                    ? "[batch, features, time]" : "[batch, time, features]") + "), got shape "
                    + Arrays.toString(sequences.shape()));
        }
        return format == RnnFormat.NCW ? sequences.permute(2, 0, 1) : sequences.permute(1, 0, 2);
    }

    /**
     * {@code array} itself when its buffer holds exactly its elements in row-major order, else a copy that does.
     * Decided by the strides: a permuted array (such as a sequence from {@link #toTimeMajor}) shares its
     * buffer, offset and length with the original, so neither its ordering flag nor {@code isView()} tells.
     */
    private static INDArray contiguousRowMajor(INDArray array) {
        long[] shape = array.shape();
        long[] strides = array.stride();
        boolean exact = array.offset() == 0 && array.data().length() == array.length();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0 && exact; d--) {
            exact = shape[d] == 1 || strides[d] == expected;
            expected *= shape[d];
        }
        return exact ? array : array.dup('c');
    }

    private static DType dtypeOf(INDArray array) {
        Objects.requireNonNull(array, "array");
        DataType type = array.dataType();
        if (type == DataType.FLOAT) {
            return DType.FLOAT32;
        }
        if (type == DataType.DOUBLE) {
            return DType.FLOAT64;
        }
        throw new IllegalArgumentException("lstm4j tensors hold FLOAT or DOUBLE, the INDArray is " + type
                + "; convert it first, e.g. array.castTo(DataType.FLOAT)");
    }
}
