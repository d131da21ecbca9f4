package dev.lstm4j.api.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NpyFormatTest {
    @TempDir
    Path dir;

    @Test
    void numpyFilesAreReadWithTheirDtypeShapeAndValues() throws IOException {
        NdArray f4 = Npy.read(Fixtures.file(dir, "f4_2x3.npy"));
        assertEquals(NdArray.of(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, 2, 3), f4);
        assertEquals(NdArray.of(new double[] {-1.5}), Npy.read(Fixtures.file(dir, "f8_scalar.npy")));
        assertEquals(NdArray.of(new int[] {1, -2, Integer.MAX_VALUE}, 3), Npy.read(Fixtures.file(dir, "i4_vector.npy")));
        assertEquals(NdArray.of(new long[] {1L << 40, -1, 0, -(1L << 62)}, 2, 1, 2),
                Npy.read(Fixtures.file(dir, "i8_2x1x2.npy")));
    }

    @Test
    void writerProducesTheBytesNumpySaveProduces() throws IOException {
        for (String name : new String[] {"f4_2x3.npy", "f8_scalar.npy", "i4_vector.npy", "i8_2x1x2.npy"}) {
            byte[] numpy = Fixtures.bytes(name);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Npy.write(Npy.read(new ByteArrayInputStream(numpy)), out);
            assertArrayEquals(numpy, out.toByteArray(), name);
        }
    }

    @Test
    void version2FileWrittenByNumpyIsRead() throws IOException {
        byte[] v2 = Fixtures.bytes("f4_v2.npy");
        assertEquals(2, v2[6]);
        assertEquals(NdArray.of(new float[] {0.25f, -8f}, 2), Npy.read(new ByteArrayInputStream(v2)));
    }

    @Test
    void float16FileIsWidenedToFloat32() throws IOException {
        NdArray a = Npy.read(Fixtures.file(dir, "f2_vector.npy"));
        assertEquals(NdArray.of(new float[] {1, -2, 0.5f, 65504}, 4), a);
    }

    @Test
    void handBuiltVersion1FileFollowingTheSpecIsRead() throws IOException {
        byte[] file = Bytes.npyV1("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                new Bytes().f64(3.5, -0.0).toArray());
        assertEquals(0, (file.length - 16) % 64, "data starts 64-byte aligned");
        NdArray a = Npy.read(new ByteArrayInputStream(file));
        assertArrayEquals(new double[] {3.5, -0.0}, a.doubles());
    }

    @Test
    void handBuiltVersion2And3HeadersWithFourByteLengthsAreRead() throws IOException {
        for (int version : new int[] {2, 3}) {
            String dict = "{\"descr\": \"<i4\", \"shape\": (1, 2), \"fortran_order\": False}\n";
            byte[] file = new Bytes().raw(0x93).ascii("NUMPY").raw(version, 0).u32(dict.length()).ascii(dict)
                    .raw(5, 0, 0, 0, 0xff, 0xff, 0xff, 0xff).toArray();
            assertEquals(NdArray.of(new int[] {5, -1}, 1, 2), Npy.read(new ByteArrayInputStream(file)));
        }
    }

    @Test
    void headerFieldsInAnyOrderWithPython2LongSuffixesAreRead() throws IOException {
        byte[] file = Bytes.npyV1("{'shape': (1L, 2L), 'fortran_order': False, 'descr': '<f4'}",
                new Bytes().f32(1, 2).toArray());
        assertEquals(NdArray.of(new float[] {1, 2}, 1, 2), Npy.read(new ByteArrayInputStream(file)));
    }

    @Test
    void headerPadsToA64ByteBoundaryAndEndsInNewline() {
        for (int rank = 0; rank < 12; rank++) {
            byte[] header = Npy.header(StoredDType.F32, new long[rank]);
            assertEquals(0, header.length % 64, "rank " + rank);
            assertEquals('\n', header[header.length - 1]);
            assertEquals(1, header[6], "version 1.0");
        }
    }
}
