package dev.lstm4j.api.io;

import dev.lstm4j.api.CellType;
import dev.lstm4j.api.DType;
import dev.lstm4j.api.Parameters;
import dev.lstm4j.api.RnnSpec;
import dev.lstm4j.api.SequenceLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParameterFilesTest {
    private static final RnnSpec SPEC = RnnSpec.lstm(3, 2).numLayers(2).bidirectional(true).build();

    private final HeapBackend backend = new HeapBackend();

    @TempDir
    Path dir;

    private static void assertSameValues(Parameters expected, Parameters actual) {
        for (String name : expected.names()) {
            assertArrayEquals(expected.readDoubles(name), actual.readDoubles(name), name);
        }
    }

    private static void assertMessage(Exception e, String... phrases) {
        for (String phrase : phrases) {
            assertTrue(e.getMessage().contains(phrase), () -> "'" + phrase + "' not in: " + e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void savedParametersLoadBackBitForBit(DType dtype) throws IOException {
        Path file = dir.resolve("lstm.safetensors");
        try (Parameters saved = backend.parameters(SPEC, dtype, 1);
             Parameters loaded = backend.parameters(SPEC, dtype, 2)) {
            ParameterFiles.save(saved, file);
            ParameterFiles.load(file, loaded);
            assertSameValues(saved, loaded);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void savedFileHoldsPyTorchNamesShapesAndOrderInTheParametersDtype(DType dtype) throws IOException {
        Path file = dir.resolve("lstm.safetensors");
        try (Parameters p = backend.parameters(SPEC, dtype, 1)) {
            ParameterFiles.save(p, file);
            SafetensorsHeader header = Safetensors.readHeader(file);
            assertEquals(p.names(), List.copyOf(header.tensors().keySet()));
            assertEquals("weight_ih_l0", p.names().get(0));
            long offset = 0;
            for (SafetensorsHeader.Entry e : header.tensors().values()) {
                assertArrayEquals(p.shape(e.name()), e.shape(), e.name());
                assertEquals(dtype == DType.FLOAT32 ? StoredDType.F32 : StoredDType.F64, e.dtype());
                assertEquals(offset, e.begin(), "data in state_dict order: " + e.name());
                offset = e.end();
            }
            assertEquals(Map.of("format", "pt", "lstm4j.cell", "LSTM", "lstm4j.layout", "TIME_MAJOR"),
                    header.metadata());
        }
    }

    @Test
    void float64FileLoadsIntoFloat32ParametersRoundedAndBack() throws IOException {
        Path f64 = dir.resolve("f64.safetensors");
        Path f32 = dir.resolve("f32.safetensors");
        try (Parameters doubles = backend.parameters(SPEC, DType.FLOAT64, 3);
             Parameters floats = backend.parameters(SPEC, DType.FLOAT32, 4);
             Parameters again = backend.parameters(SPEC, DType.FLOAT64, 5)) {
            ParameterFiles.save(doubles, f64);
            ParameterFiles.load(f64, floats);
            for (String name : doubles.names()) {
                double[] d = doubles.readDoubles(name);
                float[] f = floats.readFloats(name);
                for (int k = 0; k < d.length; k++) {
                    assertEquals((float) d[k], f[k], name);
                }
            }
            ParameterFiles.save(floats, f32);
            ParameterFiles.load(f32, again);
            assertSameValues(floats, again);
        }
    }

    @Test
    void savedFileTellsItsSpecIncludingCellAndLayout() throws IOException {
        RnnSpec spec = RnnSpec.lstm(5, 4).numLayers(3).bidirectional(true).bias(false).batchFirst(true).build();
        RnnSpec peephole = spec.toBuilder().cell(CellType.PEEPHOLE_LSTM).batchFirst(false).build();
        for (RnnSpec s : new RnnSpec[] {spec, peephole}) {
            Path file = dir.resolve("spec.safetensors");
            try (Parameters p = backend.parameters(s, DType.FLOAT32, 6)) {
                ParameterFiles.save(p, file);
            }
            assertEquals(s, ParameterFiles.inferSpec(file));
        }
    }

    @Test
    void fileWithoutLstm4jMetadataIsInferredFromShapesAsTimeMajor() throws IOException {
        RnnSpec gru = RnnSpec.builder().cell(CellType.GRU).inputSize(3).hiddenSize(5).build();
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        SpecInferenceTest.stateDictShapes(gru, "rnn.").forEach((name, shape) ->
                tensors.put(name, RandomArrays.of(ArrayDType.FLOAT32, shape, 9)));
        Path file = dir.resolve("gru.safetensors");
        Safetensors.write(new SafetensorsFile(tensors, Map.of("format", "pt")), file);
        assertEquals(gru, ParameterFiles.inferSpec(file));
    }

    @Test
    void prefixedCheckpointLoadsWithItsPrefixDetectedAndOtherModulesIgnored() throws IOException {
        Path lstmOnly = dir.resolve("lstm-only.safetensors");
        Path model = dir.resolve("model.safetensors");
        try (Parameters saved = backend.parameters(SPEC, DType.FLOAT32, 7);
             Parameters loaded = backend.parameters(SPEC, DType.FLOAT32, 8)) {
            ParameterFiles.save(saved, lstmOnly, "lstm");
            Map<String, NdArray> tensors = new LinkedHashMap<>();
            tensors.put("embedding.weight", NdArray.of(new float[30], 10, 3));
            tensors.putAll(Safetensors.read(lstmOnly).tensors());
            tensors.put("fc.weight", NdArray.of(new double[8], 2, 4));
            Safetensors.write(new SafetensorsFile(tensors, Map.of()), model);

            ParameterFiles.load(model, loaded);
            assertSameValues(saved, loaded);
            assertEquals(SPEC, ParameterFiles.inferSpec(model));
            assertEquals(SPEC, ParameterFiles.inferSpec(model, "lstm."));
        }
    }

    @Test
    void mismatchListsEveryDifferenceInOneMessageAndLeavesTheTargetUntouched() throws IOException {
        Path file = dir.resolve("other.safetensors");
        RnnSpec other = RnnSpec.lstm(3, 2).numLayers(3).bias(false).build();
        try (Parameters saved = backend.parameters(other, DType.FLOAT32, 1);
             Parameters target = backend.parameters(RnnSpec.lstm(4, 2).numLayers(2).build(), DType.FLOAT32, 2);
             Parameters before = backend.parameters(target.spec(), DType.FLOAT32, 2)) {
            ParameterFiles.save(saved, file);
            ParameterMismatchException e = assertThrows(ParameterMismatchException.class,
                    () -> ParameterFiles.load(file, target));
            assertTrue(e.getMessage().startsWith(file.toString()), e::getMessage);
            assertMessage(e, "not the parameters of LSTM stack (inputSize=4, hiddenSize=2, numLayers=2, bias)",
                    "missing [bias_ih_l0, bias_hh_l0, bias_ih_l1, bias_hh_l1]",
                    "unexpected [weight_ih_l2, weight_hh_l2]",
                    "wrong shape: weight_ih_l0 expected [8, 4], found [8, 3]");
            assertSameValues(before, target);
        }
    }

    @Test
    void explicitPrefixWithNoTensorsReportsAllAsMissing() throws IOException {
        Path file = dir.resolve("lstm.safetensors");
        try (Parameters p = backend.parameters(SPEC, DType.FLOAT32, 1)) {
            ParameterFiles.save(p, file);
            ParameterMismatchException e = assertThrows(ParameterMismatchException.class,
                    () -> ParameterFiles.load(file, p, "encoder"));
            assertMessage(e, "under prefix 'encoder.'", "missing [weight_ih_l0");
        }
    }

    @Test
    void halfPrecisionCheckpointLoadsIntoFloat32Parameters() throws IOException {
        // nn.LSTM(1, 1, bias=False).half() / .bfloat16(): weight_ih_l0 and weight_hh_l0 are [4, 1]
        String json = "{\"weight_ih_l0\":{\"dtype\":\"BF16\",\"shape\":[4,1],\"data_offsets\":[0,8]},"
                + "\"weight_hh_l0\":{\"dtype\":\"F16\",\"shape\":[4,1],\"data_offsets\":[8,16]}}";
        byte[] data = new Bytes().u16(0x3f80).u16(0xc040).u16(0x4049).u16(0x0000)   // 1, -3, 3.140625, 0
                .u16(0x3c00).u16(0xc000).u16(0x3800).u16(0x7bff).toArray();         // 1, -2, 0.5, 65504
        Path file = Files.write(dir.resolve("half.safetensors"), Bytes.safetensors(json, data));
        RnnSpec spec = RnnSpec.lstm(1, 1).bias(false).build();
        assertEquals(spec, ParameterFiles.inferSpec(file));
        try (Parameters p = backend.parameters(spec, DType.FLOAT32, 1)) {
            ParameterFiles.load(file, p);
            assertArrayEquals(new float[] {1, -3, 3.140625f, 0}, p.readFloats("weight_ih_l0"));
            assertArrayEquals(new float[] {1, -2, 0.5f, 65504}, p.readFloats("weight_hh_l0"));
        }
    }

    @Test
    void integerTensorsAreNotLoadedAsWeights() throws IOException {
        RnnSpec spec = RnnSpec.lstm(1, 1).bias(false).build();
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        tensors.put("weight_ih_l0", NdArray.of(new int[4], 4, 1));
        tensors.put("weight_hh_l0", NdArray.of(new float[4], 4, 1));
        Path file = dir.resolve("ints.safetensors");
        Safetensors.write(new SafetensorsFile(tensors, Map.of()), file);
        try (Parameters p = backend.parameters(spec, DType.FLOAT32, 1)) {
            assertMessage(assertThrows(ParameterMismatchException.class, () -> ParameterFiles.load(file, p)),
                    "not floating point: weight_ih_l0 is I32");
        }
    }

    @Test
    void fileWithSeveralStacksAsksForAPrefix() throws IOException {
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        for (String prefix : new String[] {"encoder.", "decoder."}) {
            SpecInferenceTest.stateDictShapes(RnnSpec.lstm(2, 2).build(), prefix).forEach((name, shape) ->
                    tensors.put(name, RandomArrays.of(ArrayDType.FLOAT32, shape, 1)));
        }
        Path file = dir.resolve("seq2seq.safetensors");
        Safetensors.write(new SafetensorsFile(tensors, Map.of()), file);
        ParameterMismatchException e = assertThrows(ParameterMismatchException.class,
                () -> ParameterFiles.inferSpec(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e::getMessage);
        assertMessage(e, "several prefixes ['decoder.', 'encoder.']");
        assertEquals(RnnSpec.lstm(2, 2).build(), ParameterFiles.inferSpec(file, "decoder"));
    }

    @Test
    void metadataCellMustAgreeWithTheGateCount() throws IOException {
        Path file = dir.resolve("lstm.safetensors");
        try (Parameters p = backend.parameters(RnnSpec.lstm(2, 2).build(), DType.FLOAT32, 1)) {
            ParameterFiles.save(p, file);
        }
        SafetensorsFile content = Safetensors.read(file);
        for (String[] bad : new String[][] {{"GRU", "names cell GRU, but its tensors (4 gate blocks, no peephole weights) describe a LSTM"},
                {"LSTMX", "metadata lstm4j.cell is 'LSTMX'; expected one of [LSTM, GRU, PEEPHOLE_LSTM]"}}) {
            Map<String, String> metadata = new LinkedHashMap<>(content.metadata());
            metadata.put(ParameterFiles.CELL_KEY, bad[0]);
            Safetensors.write(new SafetensorsFile(content.tensors(), metadata), file);
            assertMessage(assertThrows(ParameterMismatchException.class, () -> ParameterFiles.inferSpec(file)),
                    bad[1]);
        }
    }

    @Test
    void loadingABrokenFileReportsTheFormatProblem() throws IOException {
        Path file = Files.write(dir.resolve("broken.safetensors"), new byte[] {1, 2, 3});
        try (Parameters p = backend.parameters(SPEC, DType.FLOAT32, 1)) {
            assertThrows(MalformedFileException.class, () -> ParameterFiles.load(file, p));
        }
        assertThrows(MalformedFileException.class, () -> ParameterFiles.inferSpec(file));
    }

    @Test
    void layoutMetadataIsRead() throws IOException {
        RnnSpec spec = RnnSpec.lstm(2, 3).layout(SequenceLayout.BATCH_FIRST).build();
        Path file = dir.resolve("bf.safetensors");
        try (Parameters p = backend.parameters(spec, DType.FLOAT64, 1)) {
            ParameterFiles.save(p, file);
        }
        assertEquals(SequenceLayout.BATCH_FIRST, ParameterFiles.inferSpec(file).layout());
    }
}
