package dev.lstm4j.api.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broken and hostile safetensors input ends in one of this package's exceptions, saying what and why. */
class SafetensorsMalformedInputTest {
    private static final byte[] EIGHT_BYTES = new Bytes().f32(1, 2).toArray();

    @TempDir
    Path dir;

    private <T extends TensorFileException> void fromFile(Class<T> type, byte[] bytes, String phrase)
            throws IOException {
        Path file = Files.write(dir.resolve("hostile.safetensors"), bytes);
        T e = assertThrows(type, () -> Safetensors.read(file));
        assertTrue(e.getMessage().contains(phrase), () -> "'" + phrase + "' not in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), () -> "file not named first: " + e.getMessage());
        T h = assertThrows(type, () -> Safetensors.readHeader(file), "header-only reads check as much");
        assertTrue(h.getMessage().contains(phrase), () -> "'" + phrase + "' not in: " + h.getMessage());
    }

    private static <T extends TensorFileException> void fromStream(Class<T> type, byte[] bytes, String phrase) {
        T e = assertThrows(type, () -> Safetensors.read(new ByteArrayInputStream(bytes)));
        assertTrue(e.getMessage().contains(phrase), () -> "'" + phrase + "' not in: " + e.getMessage());
    }

    /** A file whose only tensor {@code t} has the given JSON fields, followed by 8 data bytes. */
    private static byte[] tensor(String fields) {
        return Bytes.safetensors("{\"t\":{" + fields + "}}", EIGHT_BYTES);
    }

    @Test
    void fileShorterThanTheLengthPrefixIsTooShort() throws IOException {
        fromFile(MalformedFileException.class, new byte[] {1, 0, 0}, "too short for a safetensors file");
        fromStream(MalformedFileException.class, new byte[] {1, 0, 0}, "truncated safetensors header length");
    }

    @Test
    void negativeHeaderLengthIsRejected() throws IOException {
        byte[] bytes = new Bytes().u64(-1).ascii("{}").toArray();
        fromFile(MalformedFileException.class, bytes, "header length 18446744073709551615 bytes exceeds the limit");
        fromStream(MalformedFileException.class, bytes, "exceeds the limit");
    }

    @Test
    void headerLengthAboveTheCapIsRejectedBeforeAllocating() throws IOException {
        byte[] bytes = new Bytes().u64(100_000_001).ascii("{}").toArray();
        fromFile(MalformedFileException.class, bytes, "exceeds the limit of 100000000 bytes");
        fromStream(MalformedFileException.class, bytes, "exceeds the limit of 100000000 bytes");
    }

    @Test
    void headerLengthBeyondTheFileIsRejected() throws IOException {
        byte[] bytes = new Bytes().u64(99_000_000).ascii("{\"t\":").toArray();
        fromFile(MalformedFileException.class, bytes, "header length 99000000 bytes is larger than the 5 bytes");
        // a stream's length is unknown: it is read in bounded chunks until it ends
        fromStream(MalformedFileException.class, bytes, "truncated safetensors header: expected 99000000 bytes, found only 5");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " -> ", quoteCharacter = '`', value = {
            "`{\"t\":{\"dtype\":\"F32\",}}` -> expected a string key",
            "`{\"t\" {}}` -> expected ':'",
            "`{'t':{}}` -> expected a string key",
            "`{\"t\":{\"dtype\":\"F32\"}` -> expected ',' or '}', found the end",
            "`{\"t\":{}}}` -> expected end of safetensors header",
            "`{\"t\":[01]}` -> expected ',' or ']'",
            "`{\"t\":NaN}` -> expected a JSON value",
            "`{\"t\":\"\\x\"}` -> expected one of",
            "`{\"t\":\"\\ud800\"}` -> lone UTF-16 surrogates",
            "`` -> expected a JSON value, found the end",
            "`[1, 2]` -> must be a JSON object",
            "`\"str\"` -> must be a JSON object",
    })
    void invalidJsonIsRejectedWithItsPosition(String json, String phrase) throws IOException {
        fromFile(MalformedFileException.class, Bytes.safetensors(json, new byte[0]), phrase);
    }

    @Test
    void deeplyNestedJsonIsRejectedWithoutOverflowingTheStack() throws IOException {
        String json = "{\"t\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        fromFile(MalformedFileException.class, Bytes.safetensors(json, new byte[0]), "nested deeper than 64 levels");
    }

    @Test
    void hugeNumberLiteralIsRejected() throws IOException {
        fromFile(MalformedFileException.class, tensor("\"dtype\":\"F32\",\"shape\":[" + "9".repeat(100_000)
                + "],\"data_offsets\":[0,8]"), "expected at most 400");
    }

    @Test
    void headerThatIsNotUtf8IsRejected() throws IOException {
        byte[] bytes = new Bytes().u64(4).raw('{', 0xff, 0xfe, '}').toArray();
        fromFile(MalformedFileException.class, bytes, "safetensors header is not valid UTF-8");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " -> ", quoteCharacter = '`', value = {
            "`\"shape\":[2],\"data_offsets\":[0,8]` -> tensor 't' lacks the field 'dtype'",
            "`\"dtype\":\"F32\",\"data_offsets\":[0,8]` -> lacks the field 'shape'",
            "`\"dtype\":\"F32\",\"shape\":[2]` -> lacks the field 'data_offsets'",
            "`\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]` -> dtype must be a string",
            "`\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]` -> shape must be an array of non-negative integers, found -2",
            "`\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]` -> shape must be an array of non-negative integers",
            "`\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]` -> shape must be an array",
            "`\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,8]` -> shape must be an array of non-negative integers",
            "`\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4],\"data_offsets\":[0,8]` -> more elements than fit in a long",
            "`\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,16]` -> data_offsets must be an array of 2 non-negative integers",
            "`\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]` -> data_offsets must be an array of 2 non-negative integers",
            "`\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]` -> has data_offsets [8, 0]; expected begin <= end",
            "`\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]` -> needs 12 bytes, but its data_offsets [0, 8] span 8 bytes",
            "`\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]` -> F64, which needs 16 bytes",
            "`\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,1000]` -> needs 8 bytes, but its data_offsets [0, 1000]",
            "`\"dtype\":\"F32\",\"shape\":[250],\"data_offsets\":[0,1000]` -> cover 1000 bytes, but the data buffer after the header has 8",
            "`\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]` -> cover 4 bytes, but the data buffer after the header has 8",
            "`\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]` -> bytes [0, 4) of the data buffer belong to no tensor",
    })
    void inconsistentTensorEntryIsRejected(String fields, String phrase) throws IOException {
        fromFile(MalformedFileException.class, tensor(fields), phrase);
    }

    @Test
    void unknownDtypeIsUnsupportedAndNamed() throws IOException {
        fromFile(UnsupportedFormatException.class, tensor("\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]"),
                "dtype 'F8_E4M3', which is not supported; expected one of F32, F64, F16, BF16, I32, I64");
    }

    @Test
    void overlappingTensorsAreRejected() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        fromFile(MalformedFileException.class, Bytes.safetensors(json, EIGHT_BYTES),
                "tensor 'b' at bytes [4, 8) overlaps tensor 'a', which ends at byte 8");
    }

    @Test
    void gapBetweenTensorsIsRejected() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"I32\",\"shape\":[0],\"data_offsets\":[6,6]},"
                + "\"c\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[6,8]}}";
        fromFile(MalformedFileException.class, Bytes.safetensors(json, EIGHT_BYTES),
                "bytes [4, 6) of the data buffer belong to no tensor (gap before tensor 'b')");
    }

    @Test
    void duplicateTensorNamesAreRejected() throws IOException {
        String entry = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        fromFile(MalformedFileException.class, Bytes.safetensors("{\"t\":" + entry + ",\"t\":" + entry + "}",
                new byte[4]), "duplicate key \"t\"");
    }

    @Test
    void nonStringMetadataIsRejected() throws IOException {
        fromFile(MalformedFileException.class, Bytes.safetensors("{\"__metadata__\":{\"epoch\":3}}", new byte[0]),
                "value of key 'epoch' must be a string, found 3");
        fromFile(MalformedFileException.class, Bytes.safetensors("{\"__metadata__\":[]}", new byte[0]),
                "'__metadata__' must be an object of strings");
    }

    @Test
    void truncatedDataIsRejected() throws IOException {
        byte[] bytes = Bytes.safetensors("{\"t\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}",
                EIGHT_BYTES);
        fromFile(MalformedFileException.class, bytes, "cover 16 bytes, but the data buffer after the header has 8");
        fromStream(MalformedFileException.class, bytes, "truncated data of tensor 't': expected 16 bytes, found only 8");
    }

    @Test
    void tensorClaimingGigabytesIsRejectedWithoutAllocatingThem() throws IOException {
        // 2e9 doubles (16 GB) would not fit the test JVM: allocating before checking would fail loudly
        byte[] bytes = Bytes.safetensors("{\"t\":{\"dtype\":\"F64\",\"shape\":[2000000000],"
                + "\"data_offsets\":[0,16000000000]}}", EIGHT_BYTES);
        fromFile(MalformedFileException.class, bytes, "cover 16000000000 bytes");
        fromStream(MalformedFileException.class, bytes, "truncated data of tensor 't'");
    }

    @Test
    void tensorBeyondAJavaArrayIsUnsupported() {
        byte[] bytes = Bytes.safetensors("{\"t\":{\"dtype\":\"F16\",\"shape\":[3000000000],"
                + "\"data_offsets\":[0,6000000000]}}", EIGHT_BYTES);
        fromStream(UnsupportedFormatException.class, bytes, "more than a Java array holds");
    }

    @Test
    void streamGoingOnAfterTheDataIsRejected() {
        byte[] bytes = Bytes.safetensors("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                EIGHT_BYTES);
        fromStream(MalformedFileException.class, bytes, "goes on after byte");
    }
}
