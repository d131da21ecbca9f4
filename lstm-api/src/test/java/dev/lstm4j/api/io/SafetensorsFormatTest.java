package dev.lstm4j.api.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SafetensorsFormatTest {
    @TempDir
    Path dir;

    private static byte[] write(SafetensorsFile content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(content, out);
        return out.toByteArray();
    }

    @Test
    void writerLaysOutLengthPaddedHeaderAndContiguousDataAsTheSpecSays() throws IOException {
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        tensors.put("b", NdArray.of(new float[] {1.5f, -2f}, 2));
        tensors.put("a", NdArray.of(new double[] {0.25}));
        byte[] actual = write(new SafetensorsFile(tensors, Map.of("format", "pt")));

        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        assertEquals(138, json.length());
        byte[] expected = new Bytes().u64(144).ascii(json).ascii("      ")   // 6 spaces: 138 -> 144
                .f32(1.5f, -2f).f64(0.25).toArray();
        assertArrayEquals(expected, actual);
    }

    @Test
    void headerIsPaddedWithSpacesToAMultipleOf8ForEveryNameLength() throws IOException {
        for (int nameLength = 1; nameLength <= 16; nameLength++) {
            String name = "x".repeat(nameLength);
            byte[] bytes = write(new SafetensorsFile(Map.of(name, NdArray.of(new float[] {7f}, 1)), Map.of()));
            long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, n % 8, "header length for name of " + nameLength);
            assertEquals(8 + n + 4, bytes.length);
            String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
            assertEquals(header.strip().length(), header.lastIndexOf('}') + 1, "only spaces after the JSON");
            assertEquals(7f, ByteBuffer.wrap(bytes, 8 + (int) n, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
        }
    }

    @Test
    void handBuiltFileIsReadAsTheSpecDescribes() throws IOException {
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[8,24]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"__metadata__\":{\"k\":\"v\"}}";
        byte[] data = new Bytes().u64(-5).f32(1, 2, 3, 4).toArray();
        SafetensorsFile file = Safetensors.read(new ByteArrayInputStream(Bytes.safetensors(json, data)));
        assertEquals(List.of("w", "n"), List.copyOf(file.tensors().keySet()), "header order kept");
        assertEquals(NdArray.of(new float[] {1, 2, 3, 4}, 2, 2), file.tensor("w"));
        assertEquals(NdArray.of(new long[] {-5}, 1), file.tensor("n"));
        assertEquals(Map.of("k", "v"), file.metadata());
    }

    @Test
    void referenceImplementationFileIsReadAndRewrittenByteForByte() throws IOException {
        byte[] reference = Fixtures.bytes("reference.safetensors");
        SafetensorsFile file = Safetensors.read(Fixtures.file(dir, "reference.safetensors"));
        assertEquals(NdArray.of(new float[] {-4, -3, -2, -1, 0, 1, 2, 3}, 4, 2), file.tensor("weight_ih_l0"));
        assertEquals(NdArray.of(new float[] {0.5f, -0.5f, 1.5f, 2f}, 4), file.tensor("bias_ih_l0"));
        assertEquals(NdArray.of(new long[] {3, 1}, 2), file.tensor("steps"));
        assertEquals(NdArray.of(new double[] {0.125}), file.tensor("scale"));
        assertEquals("pt", file.metadata().get("format"));
        assertArrayEquals(reference, write(file));
    }

    @Test
    void headerAloneGivesOffsetsShapesAndMetadata() throws IOException {
        SafetensorsHeader header = Safetensors.readHeader(Fixtures.file(dir, "reference.safetensors"));
        SafetensorsHeader.Entry w = header.tensors().get("weight_ih_l0");
        assertEquals(StoredDType.F32, w.dtype());
        assertArrayEquals(new long[] {4, 2}, w.shape());
        assertEquals(32, w.end() - w.begin());
        assertEquals(72, header.dataLength());
        assertEquals("made by make_fixtures.py", header.metadata().get("note"));
    }

    @Test
    void half16AndBfloat16TensorsAreWidenedToFloat32() throws IOException {
        String json = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[6,12]}}";
        byte[] data = new Bytes().u16(0x3c00).u16(0xc000).u16(0x7bff)     // 1, -2, 65504
                .u16(0x3f80).u16(0xc040).u16(0x4049).toArray();             // 1, -3, 3.140625
        SafetensorsFile file = Safetensors.read(new ByteArrayInputStream(Bytes.safetensors(json, data)));
        assertArrayEquals(new float[] {1, -2, 65504}, file.tensor("h").floats());
        assertArrayEquals(new float[] {1, -3, 3.140625f}, file.tensor("b").floats());
        assertEquals(ArrayDType.FLOAT32, file.tensor("b").dtype());
    }

    @Test
    void unicodeNamesAndEscapesSurviveTheHeader() throws IOException {
        String name = "zürich \"quoted\" \\ tab\t ✓";
        byte[] bytes = write(new SafetensorsFile(Map.of(name, NdArray.of(new int[] {9}, 1)), Map.of("é", "\n")));
        SafetensorsFile back = Safetensors.read(new ByteArrayInputStream(bytes));
        assertEquals(NdArray.of(new int[] {9}, 1), back.tensor(name));
        assertEquals(Map.of("é", "\n"), back.metadata());
    }
}
