package dev.lstm4j.api.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Randomly corrupted files either read or fail with a {@link TensorFileException}: never an
 * unchecked exception or an error, whichever bytes are flipped, cut or inserted.
 */
class CorruptedInputFuzzTest {
    private static final int MUTATIONS = 3000;

    @TempDir
    Path dir;

    private interface Reader {
        void read(byte[] bytes) throws IOException;
    }

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] b = original.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int k = random.nextInt(1, 4); k > 0; k--) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length));
            case 2 -> {
                // header-sized fields are where hostile values matter most
                int at = random.nextInt(Math.min(b.length, 16));
                b[at] = (byte) (random.nextBoolean() ? 0xff : 0x7f);
            }
            default -> {
                int at = random.nextInt(b.length);
                byte[] grown = new byte[b.length + 1];
                System.arraycopy(b, 0, grown, 0, at);
                grown[at] = (byte) "{}[],:\"0-9e'()".charAt(random.nextInt(14));
                System.arraycopy(b, at, grown, at + 1, b.length - at);
                b = grown;
            }
        }
        return b;
    }

    private void fuzz(byte[] valid, Reader reader, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] corrupted = mutate(valid, random);
            try {
                reader.read(corrupted);
            } catch (TensorFileException expected) {
                // the only acceptable failure
            } catch (IOException | RuntimeException | Error e) {
                fail("mutation " + i + " threw " + e + " for bytes " + HexFormat.of().formatHex(corrupted), e);
            }
        }
    }

    @Test
    void corruptedSafetensorsFailOnlyWithTensorFileExceptions() throws IOException {
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        tensors.put("weight_ih_l0", RandomArrays.of(ArrayDType.FLOAT32, new long[] {4, 2}, 1));
        tensors.put("steps", RandomArrays.of(ArrayDType.INT64, new long[] {}, 2));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(new SafetensorsFile(tensors, Map.of("format", "pt")), out);
        Path file = dir.resolve("fuzz.safetensors");
        fuzz(out.toByteArray(), bytes -> Safetensors.read(new ByteArrayInputStream(bytes)), 101);
        fuzz(out.toByteArray(), bytes -> Safetensors.read(Files.write(file, bytes)), 102);
    }

    @Test
    void corruptedNpyFilesFailOnlyWithTensorFileExceptions() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(RandomArrays.of(ArrayDType.FLOAT64, new long[] {2, 3}, 3), out);
        Path file = dir.resolve("fuzz.npy");
        fuzz(out.toByteArray(), bytes -> Npy.read(new ByteArrayInputStream(bytes)), 201);
        fuzz(out.toByteArray(), bytes -> Npy.read(Files.write(file, bytes)), 202);
    }
}
