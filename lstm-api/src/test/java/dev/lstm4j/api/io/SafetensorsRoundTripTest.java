package dev.lstm4j.api.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    private static SafetensorsFile sample() {
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        long seed = 11;
        for (ArrayDType dtype : ArrayDType.values()) {
            tensors.put(dtype + ".matrix", RandomArrays.of(dtype, new long[] {3, 5}, seed++));
            tensors.put(dtype + ".scalar", RandomArrays.of(dtype, new long[] {}, seed++));
            tensors.put(dtype + ".empty", RandomArrays.of(dtype, new long[] {0, 4}, seed++));
            tensors.put(dtype + ".rank4", RandomArrays.of(dtype, new long[] {2, 1, 3, 2}, seed++));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("lstm4j.cell", "LSTM");
        return new SafetensorsFile(tensors, metadata);
    }

    @Test
    void tensorsOfEveryDtypeWithMetadataSurviveAFileRoundTripInOrder() throws IOException {
        SafetensorsFile original = sample();
        Path file = dir.resolve("all.safetensors");
        Safetensors.write(original, file);
        SafetensorsFile back = Safetensors.read(file);
        assertEquals(original, back);
        assertEquals(List.copyOf(original.tensors().keySet()), List.copyOf(back.tensors().keySet()));
        assertEquals(List.copyOf(original.metadata().keySet()), List.copyOf(back.metadata().keySet()));
    }

    @Test
    void streamRoundTripMatchesTheFileOne() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(sample(), out);
        assertEquals(sample(), Safetensors.read(new ByteArrayInputStream(out.toByteArray())));
    }

    @Test
    void readingASubsetSkipsTheOtherTensors() throws IOException {
        Path file = dir.resolve("subset.safetensors");
        Safetensors.write(sample(), file);
        SafetensorsFile only = Safetensors.read(file, name -> name.endsWith(".rank4"));
        assertEquals(4, only.tensors().size());
        assertEquals(sample().tensor("INT64.rank4"), only.tensor("INT64.rank4"));
    }

    @Test
    void tensorNamedLikeTheMetadataKeyIsRefused() {
        SafetensorsFile bad = new SafetensorsFile(Map.of("__metadata__", NdArray.of(new float[] {1}, 1)), Map.of());
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(bad, new ByteArrayOutputStream()));
    }

    @Test
    void nameThatIsNotValidUnicodeIsRefusedRatherThanSilentlyAltered() {
        SafetensorsFile bad = new SafetensorsFile(Map.of("w\ud800", NdArray.of(new float[] {1}, 1)), Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(bad, new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("lone UTF-16 surrogate"), e::getMessage);
    }

    @Test
    void largeTensorCrossingManyReadChunksRoundTripsThroughAStream() throws IOException {
        SafetensorsFile big = new SafetensorsFile(
                Map.of("big", RandomArrays.of(ArrayDType.FLOAT32, new long[] {1000, 700}, 5)), Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(big, out);
        assertEquals(big, Safetensors.read(new ByteArrayInputStream(out.toByteArray())));
    }
}
