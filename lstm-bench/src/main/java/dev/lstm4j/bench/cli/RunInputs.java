package dev.lstm4j.bench.cli;

import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.SequenceLayout;
import dev.lstm4j.api.Shapes;
import dev.lstm4j.api.io.ArrayDType;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.api.io.Npy;
import dev.lstm4j.api.io.TensorFileException;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The NPY inputs of {@code lstm run}, read on the heap and checked against the model before any native
 * memory is taken, so that a wrong file is reported by its option and path rather than by a backend's
 * argument check.
 *
 * @param x       {@code [T, B, I]} ({@code [B, T, I]} batch-first), float32 or float64
 * @param seqLen  {@code T}
 * @param batch   {@code B}
 * @param h0      {@code [L*D, B, H]}, or null for zeros
 * @param c0      {@code [L*D, B, H]}, or null for zeros
 * @param lengths {@code [B]}, each in {@code [1, T]}, or null for full-length sequences
 * @param dy      the shape of {@code y}, {@code [T, B, D*H]} ({@code [B, T, D*H]} batch-first), or null
 * @param dhn     {@code [L*D, B, H]}, or null
 * @param dcn     {@code [L*D, B, H]}, or null
 */
record RunInputs(NdArray x, int seqLen, int batch, NdArray h0, NdArray c0, int[] lengths,
                 NdArray dy, NdArray dhn, NdArray dcn) {

    /** The files behind each input; null where the option was not given. */
    record Paths(Path x, Path h0, Path c0, Path lengths, Path dy, Path dhn, Path dcn) {
    }

    /** Whether any upstream gradient was given, which asks for the backward pass. */
    boolean wantsBackward() {
        return dy != null || dhn != null || dcn != null;
    }

    /**
     * Reads every given file and checks its shape against {@code spec} and {@code x}.
     *
     * @throws ToolFailure naming the option, the file, what was expected and what was found
     */
    static RunInputs read(RnnSpec spec, Paths paths) throws IOException {
        boolean batchFirst = spec.layout() == SequenceLayout.BATCH_FIRST;
        NdArray x = floats("--input", paths.x());
        long[] xShape = x.shape();
        String xDims = (batchFirst ? "[B, T, " : "[T, B, ") + spec.inputSize() + "]";
        if (xShape.length != 3) {
            throw new ToolFailure("--input " + paths.x() + " has shape " + Shapes.format(xShape) + "; expected 3 "
                    + "dimensions " + xDims + " (" + layoutName(spec) + ", " + spec.inputSize()
                    + " = the model's input size)");
        }
        if (xShape[2] != spec.inputSize()) {
            throw new ToolFailure("--input " + paths.x() + " has input size " + xShape[2] + " (shape "
                    + Shapes.format(xShape) + "), but the model's input size is " + spec.inputSize()
                    + "; expected shape " + xDims);
        }
        if (xShape[0] < 1 || xShape[1] < 1) {
            throw new ToolFailure("--input " + paths.x() + " has shape " + Shapes.format(xShape)
                    + "; expected " + xDims + " with at least one step and one sequence");
        }
        // x fits in a Java array, so both dimensions fit in an int
        int seqLen = (int) (batchFirst ? xShape[1] : xShape[0]);
        int batch = (int) (batchFirst ? xShape[0] : xShape[1]);

        long[] cellState = {spec.stateLayers(), batch, spec.hiddenSize()};
        String cellWhy = stateWhy(spec, cellState, batch, "H", spec.hiddenSize());
        // h has P features with projection (proj_size), else H, like c.
        long[] hiddenState = {spec.stateLayers(), batch, spec.stateSize()};
        String hiddenWhy = spec.projects() ? stateWhy(spec, hiddenState, batch, "P", spec.projSize()) : cellWhy;
        long[] yShape = batchFirst ? new long[] {batch, seqLen, spec.outputSize()}
                : new long[] {seqLen, batch, spec.outputSize()};
        String yWhy = "the shape of y, " + (batchFirst ? "[B, T, D*H]" : "[T, B, D*H]") + " = " + Shapes.format(yShape);
        return new RunInputs(x, seqLen, batch,
                shaped("--h0", paths.h0(), hiddenState, hiddenWhy),
                shaped("--c0", paths.c0(), cellState, cellWhy),
                lengths(paths.lengths(), batch, seqLen),
                shaped("--dy", paths.dy(), yShape, yWhy),
                shaped("--dhn", paths.dhn(), hiddenState, hiddenWhy),
                shaped("--dcn", paths.dcn(), cellState, cellWhy));
    }

    /** E.g. {@code [L*D, B, H] = [4, 3, 5] (2 layer(s) x 2 direction(s), B = 3 from --input, H = 5)}. */
    private static String stateWhy(RnnSpec spec, long[] shape, int batch, String symbol, int size) {
        return "[L*D, B, " + symbol + "] = " + Shapes.format(shape) + " (" + spec.numLayers() + " layer(s) x "
                + spec.directions() + " direction(s), B = " + batch + " from --input, " + symbol + " = " + size + ")";
    }

    private static String layoutName(RnnSpec spec) {
        return spec.layout() == SequenceLayout.BATCH_FIRST ? "batch-first" : "time-major";
    }

    /** A float array of exactly {@code expected} shape, or null when no file was given. */
    private static NdArray shaped(String option, Path file, long[] expected, String why) throws IOException {
        if (file == null) {
            return null;
        }
        NdArray a = floats(option, file);
        if (!Arrays.equals(a.shape(), expected)) {
            throw new ToolFailure(option + " " + file + " has shape " + Shapes.format(a.shape()) + "; expected "
                    + why);
        }
        return a;
    }

    private static NdArray floats(String option, Path file) throws IOException {
        NdArray a = npy(option, file);
        if (a.dtype() != ArrayDType.FLOAT32 && a.dtype() != ArrayDType.FLOAT64) {
            throw new ToolFailure(option + " " + file + " holds " + a.dtype().name().toLowerCase(Locale.ROOT)
                    + " values; expected float32 or float64");
        }
        return a;
    }

    private static int[] lengths(Path file, int batch, int seqLen) throws IOException {
        if (file == null) {
            return null;
        }
        NdArray a = npy("--lengths", file);
        if (a.dtype() != ArrayDType.INT32 && a.dtype() != ArrayDType.INT64) {
            throw new ToolFailure("--lengths " + file + " holds " + a.dtype().name().toLowerCase(Locale.ROOT)
                    + " values; expected int32 or int64");
        }
        if (a.rank() != 1 || a.shape()[0] != batch) {
            throw new ToolFailure("--lengths " + file + " has shape " + Shapes.format(a.shape()) + "; expected ["
                    + batch + "], one length per sequence of --input");
        }
        long[] values = a.dtype() == ArrayDType.INT64 ? a.longs() : Arrays.stream(a.ints()).asLongStream().toArray();
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            if (values[b] < 1 || values[b] > seqLen) {
                throw new ToolFailure("--lengths " + file + ": lengths[" + b + "] is " + values[b] + "; expected every "
                        + "length in [1, T = " + seqLen + "], T being the steps of --input");
            }
            lengths[b] = (int) values[b];
        }
        return lengths;
    }

    private static NdArray npy(String option, Path file) throws IOException {
        try {
            return Npy.read(file);
        } catch (NoSuchFileException e) {
            throw new ToolFailure(option + ": file not found: " + file, e);
        } catch (TensorFileException e) {
            // its message starts with the file
            throw new ToolFailure(option + " " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ToolFailure(option + ": cannot read " + file + ": " + ToolFailure.describe(e), e);
        }
    }
}
