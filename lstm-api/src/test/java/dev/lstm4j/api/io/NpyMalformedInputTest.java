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

/** Broken and hostile NPY input ends in one of this package's exceptions, with a message that says why. */
class NpyMalformedInputTest {
    private static final byte[] TWO_FLOATS = new Bytes().f32(1, 2).toArray();

    @TempDir
    Path dir;

    private static <T extends TensorFileException> T fromStream(Class<T> type, byte[] bytes, String phrase) {
        T e = assertThrows(type, () -> Npy.read(new ByteArrayInputStream(bytes)));
        assertTrue(e.getMessage().contains(phrase), () -> "'" + phrase + "' not in: " + e.getMessage());
        return e;
    }

    private <T extends TensorFileException> T fromFile(Class<T> type, byte[] bytes, String phrase) throws IOException {
        Path file = Files.write(dir.resolve("hostile.npy"), bytes);
        T e = assertThrows(type, () -> Npy.read(file));
        assertTrue(e.getMessage().contains(phrase), () -> "'" + phrase + "' not in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), () -> "file not named first: " + e.getMessage());
        return e;
    }

    private static byte[] withDict(String dict) {
        return Bytes.npyV1(dict, TWO_FLOATS);
    }

    @Test
    void wrongMagicIsNotAnNpyFile() throws IOException {
        byte[] bytes = new Bytes().ascii("PK\u0003\u0004 a zip, not npy").toArray();
        fromFile(MalformedFileException.class, bytes, "not an NPY file");
        fromStream(MalformedFileException.class, bytes, "expected the magic bytes");
    }

    @Test
    void fileShorterThanTheMagicIsTruncated() throws IOException {
        fromFile(MalformedFileException.class, new byte[] {(byte) 0x93, 'N'}, "truncated NPY magic");
        fromStream(MalformedFileException.class, new byte[0], "truncated NPY magic");
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "4, 0", "1, 1", "255, 255"})
    void unknownFormatVersionIsUnsupported(int major, int minor) {
        byte[] bytes = new Bytes().raw(0x93).ascii("NUMPY").raw(major, minor).u16(10).ascii("{}        ").toArray();
        fromStream(UnsupportedFormatException.class, bytes, "version " + major + "." + minor + " is not supported");
    }

    @Test
    void headerLengthBeyondTheFileIsTruncated() throws IOException {
        byte[] bytes = new Bytes().raw(0x93).ascii("NUMPY").raw(1, 0).u16(60_000).ascii("{'descr': ").toArray();
        fromFile(MalformedFileException.class, bytes, "truncated NPY header: expected 60000 bytes");
        fromStream(MalformedFileException.class, bytes, "truncated NPY header");
    }

    @Test
    void fourGigabyteHeaderLengthIsRejectedBeforeAllocating() throws IOException {
        byte[] bytes = new Bytes().raw(0x93).ascii("NUMPY").raw(2, 0).u32(0xffff_ffffL).ascii("{").toArray();
        fromFile(MalformedFileException.class, bytes, "exceeds the limit");
        fromStream(MalformedFileException.class, bytes, "header length 4294967295 bytes exceeds the limit");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'descr': '<f4', 'fortran_order': False, 'shape': (2,)|expected '{'",
            "{'descr': '<f4', 'fortran_order': False}|lacks the key 'shape'",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}|expected a string, True",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 'y'}|has extra keys",
            "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}|found 'descr' again",
            "{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}|expected ',', found 'fortran_order'",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2)}|',' after the single dimension",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}|expected a non-negative dimension",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2.0,)}|',' after the single dimension",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3.0)}|expected ',' or ')'",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}|a dimension below 2^63",
            "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}|expected a string, True",
            "{'descr': '<f4', 'fortran_order': 'no', 'shape': (2,)}|'fortran_order' must be True or False",
            "{'descr': True, 'fortran_order': False, 'shape': (2,)}|'descr' must be a type string",
            "{'descr': '<f4', 'fortran_order': False, 'shape': '2'}|'shape' must be a tuple",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} junk|only padding after the dict",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)|expected ',', found the end",
    })
    void malformedHeaderDictIsRejectedWithWhatWasExpected(String dict, String phrase) throws IOException {
        fromFile(MalformedFileException.class, withDict(dict), phrase);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " -> ", quoteCharacter = '"', value = {
            "'>f4' -> big-endian NPY dtype '>f4' is not supported; expected little-endian '<f4'",
            "'>i8' -> big-endian",
            "'=f4' -> does not state its byte order",
            "'|f4' -> does not state its byte order",
            "'f4' -> does not state its byte order",
            "'<c8' -> NPY dtype '<c8' is not supported",
            "'|O' -> NPY dtype '|O' is not supported",
            "'<U10' -> is not supported",
            "'' -> is not supported",
            "[('a', '<f4')] -> structured (record) dtypes are not supported",
    })
    void unsupportedDtypeIsNamedWithTheExpectedOnes(String descr, String phrase) throws IOException {
        fromFile(UnsupportedFormatException.class,
                withDict("{'descr': " + descr + ", 'fortran_order': False, 'shape': (2,), }"), phrase);
    }

    @Test
    void fortranOrderIsUnsupported() throws IOException {
        fromFile(UnsupportedFormatException.class,
                withDict("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }"), "Fortran-order");
    }

    @Test
    void dataShorterThanTheShapeIsTruncated() throws IOException {
        byte[] bytes = withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }");
        fromFile(MalformedFileException.class, bytes, "truncated NPY data: shape (3,) of '<f4' needs 12 bytes, found 8");
        fromStream(MalformedFileException.class, bytes, "truncated NPY data: expected 12 bytes, found only 8");
    }

    @Test
    void fileLongerThanTheShapeIsRejected() throws IOException {
        byte[] bytes = withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }");
        fromFile(MalformedFileException.class, bytes, "NPY data longer than its shape");
    }

    @Test
    void shapeClaimingGigabytesIsRejectedWithoutAllocatingThem() throws IOException {
        // 2e9 doubles would be 16 GB: more than the test JVM has, so allocating first would fail loudly
        byte[] bytes = withDict("{'descr': '<f8', 'fortran_order': False, 'shape': (2000000000,), }");
        fromFile(MalformedFileException.class, bytes, "needs 16000000000 bytes, found 8");
        fromStream(MalformedFileException.class, bytes, "truncated NPY data");
    }

    @Test
    void shapeBeyondAJavaArrayIsUnsupported() throws IOException {
        byte[] bytes = withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }");
        fromFile(UnsupportedFormatException.class, bytes, "more than a Java array holds");
    }

    @Test
    void shapeWhoseElementCountOverflowsIsMalformed() throws IOException {
        byte[] bytes = withDict("{'descr': '<f4', 'fortran_order': False, "
                + "'shape': (4294967296, 4294967296, 4294967296), }");
        fromStream(MalformedFileException.class, bytes, "more elements than fit in a long");
    }

    @Test
    void latin1HeaderBytesAreNotMistakenForWhitespace() {
        byte[] bytes = withDict("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\u00a0");
        fromStream(MalformedFileException.class, bytes, "only padding after the dict");
    }
}
