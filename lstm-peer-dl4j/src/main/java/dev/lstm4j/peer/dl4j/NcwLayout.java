package dev.lstm4j.peer.dl4j;

import dev.lstm4j.api.io.NdArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Converts between the peer protocol's time-major sequences {@code [T, B, F]} and DL4J's NCW sequences
 * {@code [B, F, T]}.
 */
final class NcwLayout {

    private NcwLayout() {
    }

    /**
     * {@code [T, B, F]} as an NCW array {@code [B, F, T]} in 'f' order, the order DL4J's LSTM writes its own
     * outputs in: each time step's {@code [B, F]} slice is then one contiguous block.
     */
    static INDArray toNcw(NdArray timeMajor, long seqLen, long batch, long features) {
        long[] expected = {seqLen, batch, features};
        if (!Arrays.equals(timeMajor.shape(), expected)) {
            throw new IllegalArgumentException("expected a [T, B, F] = " + Arrays.toString(expected)
                    + " sequence, got " + Arrays.toString(timeMajor.shape()));
        }
        INDArray tbf = Nd4j.create(timeMajor.toFloats(), expected, 'c');
        return tbf.permute(1, 2, 0).dup('f');
    }

    /** An NCW array {@code [B, F, T]}, any order, as float32 {@code [T, B, F]}. */
    static NdArray toTimeMajor(INDArray ncw) {
        if (ncw.rank() != 3) {
            throw new IllegalArgumentException("expected an NCW [B, F, T] array, got shape "
                    + Arrays.toString(ncw.shape()));
        }
        long[] s = ncw.shape();
        INDArray tbf = ncw.castTo(DataType.FLOAT).permute(2, 0, 1).dup('c');
        return NdArray.of(tbf.data().asFloat(), s[2], s[0], s[1]);
    }
}
