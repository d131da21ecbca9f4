package dev.lstm4j.bench.cli;

import dev.lstm4j.api.Backend;
import dev.lstm4j.api.Backends;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.SequenceLayout;
import dev.lstm4j.api.io.ArrayDType;
import dev.lstm4j.api.io.NdArray;
import dev.lstm4j.api.io.Npy;
import dev.lstm4j.api.io.Safetensors;
import dev.lstm4j.api.io.SafetensorsFile;
import dev.lstm4j.conformance.Checks;
import dev.lstm4j.conformance.Fp64Reference;
import dev.lstm4j.conformance.HostArrays;
import dev.lstm4j.conformance.ReferenceForward;
import dev.lstm4j.conformance.ReferenceGradients;
import dev.lstm4j.conformance.ReferenceInputs;
import dev.lstm4j.conformance.ReferenceWeights;
import dev.lstm4j.conformance.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lstm run} end to end: files written by the test, the command run through {@link LstmTool#execute},
 * the NPY files it writes compared with the fp64 reference of lstm-conformance.
 */
class RunCommandTest {
    static final int INPUT = 7;
    static final int HIDDEN = 5;
    static final int SEQ_LEN = 4;
    static final int BATCH = 3;

    @TempDir
    Path dir;

    /** The stack of most tests: 2 layers, bidirectional, I = 7, H = 5. */
    static RnnSpec spec(boolean batchFirst) {
        return RnnSpec.lstm(INPUT, HIDDEN).numLayers(2).bidirectional(true).batchFirst(batchFirst).build();
    }

    @Test
    void float64ForwardAndBackwardMatchTheReference() throws IOException {
        Case c = new Case(dir, spec(false), DType.FLOAT64, null);
        ToolRun r = lstm(c.args("--dtype", "float64"));
        assertEquals(0, r.exitCode(), r::err);
        c.assertForwardMatches(dir.resolve("out"));
        c.assertGradientsMatch(dir.resolve("out"));
    }

    /** A peephole LSTM file (weight_peephole_l{k} names) is recognised and run as one. */
    @Test
    void peepholeModelIsInferredFromItsNamesAndMatchesTheReference() throws IOException {
        RnnSpec peephole = spec(false).toBuilder().cell(dev.lstm4j.api.CellType.PEEPHOLE_LSTM).build();
        Case c = new Case(dir, peephole, DType.FLOAT64, null);
        ToolRun r = lstm(c.args("--dtype", "float64"));
        assertEquals(0, r.exitCode(), r::err);
        c.assertForwardMatches(dir.resolve("out"));
        c.assertGradientsMatch(dir.resolve("out"));
    }

    /** A GRU file (three gate blocks) runs as PyTorch's nn.GRU; there is no c, so no cn.npy or grad.c0.npy. */
    @Test
    void gruModelIsInferredFromItsShapesAndMatchesTheReference() throws IOException {
        RnnSpec gru = spec(false).toBuilder().cell(dev.lstm4j.api.CellType.GRU).build();
        Case c = new Case(dir, gru, DType.FLOAT64, null);
        ToolRun r = lstm(c.args("--dtype", "float64"));
        assertEquals(0, r.exitCode(), r::err);
        c.assertForwardMatches(dir.resolve("out"));
        c.assertGradientsMatch(dir.resolve("out"));
        assertTrue(!java.nio.file.Files.exists(dir.resolve("out").resolve("cn.npy")), "a GRU has no cn");
    }

    /** An LSTMP file (weight_hr names, PyTorch's proj_size) runs with h of P features. */
    @Test
    void projectedModelIsInferredFromItsNamesAndMatchesTheReference() throws IOException {
        RnnSpec projected = spec(false).toBuilder().projSize(HIDDEN - 2).build();
        Case c = new Case(dir, projected, DType.FLOAT64, null);
        ToolRun r = lstm(c.args("--dtype", "float64"));
        assertEquals(0, r.exitCode(), r::err);
        c.assertForwardMatches(dir.resolve("out"));
        c.assertGradientsMatch(dir.resolve("out"));
    }

    @Test
    void float32IsTheDefaultAndMatchesTheReferenceToFloatTolerance() throws IOException {
        Case c = new Case(dir, spec(false), DType.FLOAT32, null);
        // x in float64 (holding float-representable values): the command converts it
        write(c.x, c.xShape(), DType.FLOAT64, dir.resolve("x.npy"));
        ToolRun r = lstm(c.args());
        assertEquals(0, r.exitCode(), r::err);
        c.assertForwardMatches(dir.resolve("out"));
        c.assertGradientsMatch(dir.resolve("out"));
    }

    @Test
    void cellClipFromTheCommandLineMatchesTheClippedReference() throws IOException {
        Case c = new Case(dir, spec(false).toBuilder().cellClip(0.3).build(), DType.FLOAT64, null);
        assertTrue(java.util.Arrays.stream(c.forward.cn()).anyMatch(v -> Math.abs(v) > 0.3),
                "the clip must bind somewhere (cn is reported as computed) for this test to mean anything");
        ToolRun r = lstm(c.args("--dtype", "float64", "--cell-clip", "0.3"));
        assertEquals(0, r.exitCode(), r::err);
        assertTrue(r.out().contains("cell clip 0.3"), r::out);
        c.assertForwardMatches(dir.resolve("out"));
        c.assertGradientsMatch(dir.resolve("out"));
    }

    @Test
    void variableLengthSequencesMatchTheReference() throws IOException {
        Case c = new Case(dir, spec(false), DType.FLOAT64, new int[] {4, 2, 3});
        Npy.write(NdArray.of(new long[] {4, 2, 3}, BATCH), dir.resolve("lengths.npy"));
        List<String> args = new ArrayList<>(List.of(c.args("--dtype", "float64")));
        args.addAll(List.of("--lengths", dir.resolve("lengths.npy").toString()));
        ToolRun r = lstm(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r::err);
        c.assertForwardMatches(dir.resolve("out"));
        c.assertGradientsMatch(dir.resolve("out"));
    }

    @Test
    void batchFirstInputsAndOutputsAreBatchTimeFeatures() throws IOException {
        Case c = new Case(dir, spec(true), DType.FLOAT64, null);
        ToolRun r = lstm(c.args("--dtype", "float64", "--batch-first"));
        assertEquals(0, r.exitCode(), r::err);
        assertArrayEquals(new long[] {BATCH, SEQ_LEN, 2 * HIDDEN}, Npy.read(dir.resolve("out/y.npy")).shape());
        c.assertForwardMatches(dir.resolve("out"));
        c.assertGradientsMatch(dir.resolve("out"));
    }

    @Test
    void layoutSavedInTheModelFileIsTheDefault() throws IOException {
        Case c = new Case(dir, spec(true), DType.FLOAT64, null);
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        c.weights.asMap().forEach((name, v) -> tensors.put(name, NdArray.of(v, shapeOf(c.spec, name))));
        Safetensors.write(new SafetensorsFile(tensors, Map.of("lstm4j.layout", "BATCH_FIRST")), c.model);
        ToolRun r = lstm(c.args("--dtype", "float64"));
        assertEquals(0, r.exitCode(), r::err);
        assertTrue(r.out().contains("batch-first"), r.out());
        c.assertForwardMatches(dir.resolve("out"));
        c.assertGradientsMatch(dir.resolve("out"));
    }

    @Test
    void forwardOnlyWritesYHnCnAndSummarises() throws IOException {
        Case c = new Case(dir, spec(false), DType.FLOAT32, null);
        Path out = dir.resolve("new/out");
        ToolRun r = lstm("run", "--model", c.model.toString(), "--input", dir.resolve("x.npy").toString(),
                "--h0", dir.resolve("h0.npy").toString(), "--c0", dir.resolve("c0.npy").toString(),
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r::err);
        assertEquals(Set.of("y.npy", "hn.npy", "cn.npy"), listing(out));
        assertEquals(ArrayDType.FLOAT32, Npy.read(out.resolve("y.npy")).dtype());
        c.assertForwardMatches(out);
        assertTrue(r.out().contains("LSTM, input size 7, hidden size 5, 2 layers, bidirectional"), r.out());
        assertTrue(r.out().contains("cpu"), r.out());
        assertTrue(r.out().contains("y.npy [4, 3, 10]"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void modulePrefixIsDetectedAndOtherTensorsIgnored() throws IOException {
        RnnSpec spec = RnnSpec.lstm(INPUT, HIDDEN).build();
        Case c = new Case(dir, spec, DType.FLOAT64, null);
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        c.weights.asMap().forEach((name, v) -> tensors.put("encoder.lstm." + name, NdArray.of(v, shapeOf(spec, name))));
        tensors.put("head.weight", NdArray.of(new double[2 * HIDDEN], 2, HIDDEN));
        Safetensors.write(new SafetensorsFile(tensors, Map.of()), c.model);
        ToolRun r = lstm(c.args("--dtype", "float64"));
        assertEquals(0, r.exitCode(), r::err);
        c.assertForwardMatches(dir.resolve("out"));
        c.assertGradientsMatch(dir.resolve("out"));
    }

    @Test
    void backwardLeavesNoNativeMemoryOnTheBackend() throws IOException {
        Case c = new Case(dir, spec(false), DType.FLOAT32, null);
        CommandLine cli = new CommandLine(new LstmTool());
        cli.setOut(new PrintWriter(new StringWriter()));
        RunCommand run = (RunCommand) cli.parseArgs(c.args()).subcommand().commandSpec().userObject();
        try (Backend backend = Backends.select()) {
            assertEquals(0, run.runOn(backend));
            assertEquals(0, backend.liveBytes(), "native bytes left on the backend");
        }
        c.assertGradientsMatch(dir.resolve("out"));
    }

    // ---- fixture -------------------------------------------------------------------------------------

    /**
     * A seeded model and inputs written to {@code dir} (model.safetensors, x, h0, c0, dy, dhn, dcn .npy) in
     * {@code dtype}, and the reference's answers for them.
     */
    static final class Case {
        final Path dir;
        final Path model;
        final RnnSpec spec;
        final DType dtype;
        final ReferenceWeights weights;
        final double[] x;
        final double[] h0;
        final double[] c0;
        final double[] dy;
        final double[] dhn;
        final double[] dcn;
        final ReferenceForward forward;
        final ReferenceGradients gradients;

        Case(Path dir, RnnSpec spec, DType dtype, int[] lengths) throws IOException {
            this.dir = dir;
            this.spec = spec;
            this.dtype = dtype;
            this.model = dir.resolve("model.safetensors");
            Map<String, double[]> w = new LinkedHashMap<>();
            ReferenceWeights.random(spec, 42).asMap().forEach((k, v) -> w.put(k, HostArrays.representable(v, dtype)));
            weights = ReferenceWeights.of(spec, w);
            int state = spec.stateLayers() * BATCH * HIDDEN;
            int hiddenState = spec.stateLayers() * BATCH * spec.stateSize();   // P features with projection
            x = HostArrays.representable(HostArrays.uniform(SEQ_LEN * BATCH * INPUT, 1), dtype);
            h0 = HostArrays.representable(HostArrays.uniform(hiddenState, 2), dtype);
            boolean cellState = spec.cell().hasCellState();
            c0 = cellState ? HostArrays.representable(HostArrays.uniform(state, 3), dtype) : null;
            dy = HostArrays.representable(HostArrays.uniform(SEQ_LEN * BATCH * spec.outputSize(), 4), dtype);
            dhn = HostArrays.representable(HostArrays.uniform(hiddenState, 5), dtype);
            dcn = cellState ? HostArrays.representable(HostArrays.uniform(state, 6), dtype) : null;
            Fp64Reference reference = new Fp64Reference(weights);
            forward = reference.forward(new ReferenceInputs(SEQ_LEN, BATCH, x, h0, c0, lengths));
            gradients = reference.backward(forward, dy, dhn, dcn);

            writeModel(model, weights, dtype);
            long[] stateShape = {spec.stateLayers(), BATCH, HIDDEN};
            long[] hShape = {spec.stateLayers(), BATCH, spec.stateSize()};
            write(x, xShape(), dtype, dir.resolve("x.npy"));
            write(h0, hShape, dtype, dir.resolve("h0.npy"));
            if (cellState) {
                write(c0, stateShape, dtype, dir.resolve("c0.npy"));
            }
            write(dy, yShape(), dtype, dir.resolve("dy.npy"));
            write(dhn, hShape, dtype, dir.resolve("dhn.npy"));
            if (cellState) {
                write(dcn, stateShape, dtype, dir.resolve("dcn.npy"));
            }
        }

        boolean batchFirst() {
            return spec.layout() == SequenceLayout.BATCH_FIRST;
        }

        long[] xShape() {
            return batchFirst() ? new long[] {BATCH, SEQ_LEN, INPUT} : new long[] {SEQ_LEN, BATCH, INPUT};
        }

        long[] yShape() {
            return batchFirst() ? new long[] {BATCH, SEQ_LEN, spec.outputSize()}
                    : new long[] {SEQ_LEN, BATCH, spec.outputSize()};
        }

        /** {@code run} with every file of the case and {@code --out dir/out}, then {@code extra}. */
        String[] args(String... extra) {
            List<String> args = new ArrayList<>(List.of("run", "--model", model.toString()));
            for (String name : List.of("x", "h0", "c0", "dy", "dhn", "dcn")) {
                if ((name.equals("c0") || name.equals("dcn")) && !spec.cell().hasCellState()) {
                    continue;
                }
                args.add(name.equals("x") ? "--input" : "--" + name);
                args.add(dir.resolve(name + ".npy").toString());
            }
            args.add("--out");
            args.add(dir.resolve("out").toString());
            args.addAll(List.of(extra));
            return args.toArray(String[]::new);
        }

        void assertForwardMatches(Path out) throws IOException {
            Tolerance tol = Tolerance.forward(dtype);
            long[] stateShape = {spec.stateLayers(), BATCH, HIDDEN};
            Checks.assertClose("y", forward.y(), read(out.resolve("y.npy"), yShape()), tol);
            Checks.assertClose("hn", forward.hn(), read(out.resolve("hn.npy"),
                    new long[] {spec.stateLayers(), BATCH, spec.stateSize()}), tol);
            if (forward.cn() != null) {
                Checks.assertClose("cn", forward.cn(), read(out.resolve("cn.npy"), stateShape), tol);
            }
        }

        void assertGradientsMatch(Path out) throws IOException {
            Tolerance tol = Tolerance.gradients(dtype);
            long[] stateShape = {spec.stateLayers(), BATCH, HIDDEN};
            Checks.assertClose("grad.x", gradients.dx(), read(out.resolve("grad.x.npy"), xShape()), tol);
            Checks.assertClose("grad.h0", gradients.dh0(), read(out.resolve("grad.h0.npy"),
                    new long[] {spec.stateLayers(), BATCH, spec.stateSize()}), tol);
            if (gradients.dc0() != null) {
                Checks.assertClose("grad.c0", gradients.dc0(), read(out.resolve("grad.c0.npy"), stateShape), tol);
            }
            Set<String> expectedFiles = new TreeSet<>(Set.of("y.npy", "hn.npy", "grad.x.npy", "grad.h0.npy"));
            if (spec.cell().hasCellState()) {
                expectedFiles.addAll(Set.of("cn.npy", "grad.c0.npy"));
            }
            for (String name : ReferenceWeights.names(spec)) {
                expectedFiles.add("grad." + name + ".npy");
                Checks.assertClose("grad." + name, gradients.weight(name),
                        read(out.resolve("grad." + name + ".npy"), shapeOf(spec, name)), tol);
            }
            assertEquals(expectedFiles, listing(out));
        }

        /** The array in {@code file}, checked to have {@code shape} and this case's dtype. */
        private double[] read(Path file, long[] shape) throws IOException {
            NdArray a = Npy.read(file);
            assertArrayEquals(shape, a.shape(), () -> file + " has shape " + Arrays.toString(a.shape()));
            assertEquals(dtype == DType.FLOAT64 ? ArrayDType.FLOAT64 : ArrayDType.FLOAT32, a.dtype(), file::toString);
            return a.toDoubles();
        }
    }

    /** The weights with PyTorch's top-level names and no metadata, as {@code safetensors.torch.save_file} writes. */
    static void writeModel(Path file, ReferenceWeights weights, DType dtype) throws IOException {
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        weights.asMap().forEach((name, v) -> tensors.put(name, array(v, shapeOf(weights.spec(), name), dtype)));
        Safetensors.write(new SafetensorsFile(tensors, Map.of()), file);
    }

    /** PyTorch's shape of a parameter (lstm4j's layout for the rest, e.g. the peepholes' {@code [3, H]}). */
    static long[] shapeOf(RnnSpec spec, String name) {
        return new dev.lstm4j.api.ParameterLayout(spec).entry(name).shape();
    }

    static void write(double[] values, long[] shape, DType dtype, Path file) throws IOException {
        Npy.write(array(values, shape, dtype), file);
    }

    static NdArray array(double[] values, long[] shape, DType dtype) {
        if (dtype == DType.FLOAT64) {
            return NdArray.of(values, shape);
        }
        float[] f = new float[values.length];
        for (int k = 0; k < f.length; k++) {
            f[k] = (float) values[k];
        }
        return NdArray.of(f, shape);
    }

    static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    static ToolRun lstm(String... args) {
        return ToolRun.of(args);
    }
}
