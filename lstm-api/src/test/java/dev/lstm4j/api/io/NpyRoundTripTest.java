package dev.lstm4j.api.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NpyRoundTripTest {
    private static final long[][] SHAPES = {{}, {5}, {3, 4}, {2, 3, 2}, {2, 1, 3, 2}, {0, 3}};

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ArrayDType.class)
    void everyRankFromScalarToFourSurvivesAFileRoundTrip(ArrayDType dtype) throws IOException {
        for (long[] shape : SHAPES) {
            NdArray original = RandomArrays.of(dtype, shape, 42 + shape.length);
            Path file = dir.resolve(dtype + "-" + shape.length + ".npy");
            Npy.write(original, file);
            NdArray back = Npy.read(file);
            assertEquals(original, back, dtype + Arrays.toString(shape));
            assertArrayEquals(shape, back.shape());
        }
    }

    @ParameterizedTest
    @EnumSource(ArrayDType.class)
    void arraysWrittenOneAfterAnotherAreReadBackInTurnFromOneStream(ArrayDType dtype) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long[] shape : SHAPES) {
            Npy.write(RandomArrays.of(dtype, shape, 7), out);
        }
        InputStream in = new ByteArrayInputStream(out.toByteArray());
        for (long[] shape : SHAPES) {
            assertEquals(RandomArrays.of(dtype, shape, 7), Npy.read(in));
        }
        assertEquals(-1, in.read(), "nothing read beyond the last array");
    }

    @Test
    void headerLongerThanVersion1AllowsIsWrittenAsVersion2AndReadBack() throws IOException {
        long[] shape = new long[23_000];   // "1, " per dimension: about 69 000 header bytes
        Arrays.fill(shape, 1);
        NdArray original = NdArray.of(new float[] {2.5f}, shape);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(original, out);
        byte[] bytes = out.toByteArray();
        assertEquals(2, bytes[6], "major version");
        assertEquals(0, (bytes.length - 4) % 64, "data starts 64-byte aligned after a 12-byte prefix");
        assertEquals(original, Npy.read(new ByteArrayInputStream(bytes)));
    }

    @Test
    void largeArrayCrossingManyReadChunksRoundTrips() throws IOException {
        NdArray original = RandomArrays.of(ArrayDType.FLOAT64, new long[] {700, 1000}, 3);
        Path file = dir.resolve("large.npy");
        Npy.write(original, file);
        assertEquals(original, Npy.read(file));
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            assertEquals(original, Npy.read(in));
        }
    }
}
