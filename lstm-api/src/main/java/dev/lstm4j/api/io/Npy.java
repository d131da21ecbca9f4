package dev.lstm4j.api.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Reads and writes numpy's NPY format (one array per file), as {@code numpy.save} and {@code numpy.load}
 * do: magic {@code \x93NUMPY}, a version, a little-endian header length, a Python dict header, then the
 * raw row-major elements.
 *
 * <p>Reads versions 1.0, 2.0 and 3.0 with dtypes {@code <f4 <f8 <i4 <i8} and, widened to float32,
 * {@code <f2}. Writes version 1.0, or 2.0 when the header outgrows 1.0's 16-bit length, byte for byte
 * as numpy lays it out. Every malformed or hostile input ends in a {@link TensorFileException}.
 */
public final class Npy {
    /** Header bytes accepted; numpy's own reader stops at 10 000 by default, every real header is far below. */
    public static final int MAX_HEADER_BYTES = 1 << 20;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    private static final int V1_MAX_HEADER = 0xffff;

    private Npy() {
    }

    /** Reads the one array in {@code file}; the file must end exactly where the array's data ends. */
    public static NdArray read(Path file) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            ByteSource in = new ByteSource(channel, file.toString(), channel.size());
            NpyHeader header = readHeader(in);
            long count = elementCount(header, in.source());
            long expected = count * header.dtype().byteSize();
            long found = in.length() - in.position();
            if (found != expected) {
                throw new MalformedFileException(in.source(), (found < expected ? "truncated NPY data" : "NPY data "
                        + "longer than its shape") + ": shape " + NpyHeader.pythonTuple(header.shape()) + " of '"
                        + header.dtype().npyDescr() + "' needs " + expected + " bytes, found " + found
                        + " after the header");
            }
            return readData(in, header, (int) count);
        }
    }

    /**
     * Reads one array from {@code in} and leaves the stream just after it, so that arrays saved one after
     * another into the same stream can be read in turn. Does not close the stream.
     */
    public static NdArray read(InputStream in) throws IOException {
        ByteSource source = new ByteSource(Channels.newChannel(in), null, -1);
        NpyHeader header = readHeader(source);
        return readData(source, header, (int) elementCount(header, null));
    }

    public static void write(NdArray array, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            write(array, out);
        }
    }

    /** Writes {@code array} to {@code out} without closing it. */
    public static void write(NdArray array, OutputStream out) throws IOException {
        out.write(header(array.dtype().stored(), array.shape()));
        ElementWriter.write(array, out);
        out.flush();
    }

    /** Magic, version, length and padded dict; the data that follows starts 64-byte aligned. */
    static byte[] header(StoredDType dtype, long[] shape) {
        String dict = NpyHeader.format(dtype, shape);
        int version = 1;
        int prefix = MAGIC.length + 2 + 2;
        int padding = ALIGNMENT - (prefix + dict.length() + 1) % ALIGNMENT;
        if (dict.length() + 1 + padding > V1_MAX_HEADER) {
            version = 2;
            prefix = MAGIC.length + 2 + 4;
            padding = ALIGNMENT - (prefix + dict.length() + 1) % ALIGNMENT;
        }
        int headerLength = dict.length() + padding + 1;
        ByteBuffer out = ByteBuffer.allocate(prefix + headerLength).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) {
            out.putShort((short) headerLength);
        } else {
            out.putInt(headerLength);
        }
        out.put((dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.array();
    }

    private static NpyHeader readHeader(ByteSource in) throws IOException {
        byte[] start = in.readBytes(MAGIC.length + 2, "NPY magic and version");
        for (int k = 0; k < MAGIC.length; k++) {
            if (start[k] != MAGIC[k]) {
                throw new MalformedFileException(in.source(), "not an NPY file: expected the magic bytes "
                        + "93 4e 55 4d 50 59 (\\x93NUMPY), found " + HexFormat.ofDelimiter(" ").formatHex(start, 0, 6));
            }
        }
        int major = start[6] & 0xff;
        int minor = start[7] & 0xff;
        if (minor != 0 || major < 1 || major > 3) {
            throw new UnsupportedFormatException(in.source(), "NPY format version " + major + "." + minor
                    + " is not supported; expected 1.0, 2.0 or 3.0");
        }
        ByteBuffer lengthBytes = ByteBuffer.wrap(in.readBytes(major == 1 ? 2 : 4, "NPY header length"))
                .order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? lengthBytes.getShort() & 0xffffL : lengthBytes.getInt() & 0xffffffffL;
        if (headerLength > MAX_HEADER_BYTES) {
            throw new MalformedFileException(in.source(), "NPY header length " + headerLength
                    + " bytes exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        byte[] text = in.readBytes((int) headerLength, "NPY header");
        // versions 1 and 2 store latin-1, version 3 UTF-8 (for structured field names)
        String dict = major == 3 ? Utf8.decode(text, in.source(), "NPY header")
                : new String(text, StandardCharsets.ISO_8859_1);
        return NpyHeader.parse(dict, in.source());
    }

    private static long elementCount(NpyHeader header, String source) throws TensorFileException {
        long count = NdArray.elementCountOrMinusOne(header.shape());
        if (count < 0) {
            throw new MalformedFileException(source, "NPY shape " + NpyHeader.pythonTuple(header.shape())
                    + " has more elements than fit in a long");
        }
        if (count > NdArray.MAX_ELEMENTS) {
            throw new UnsupportedFormatException(source, "NPY shape " + NpyHeader.pythonTuple(header.shape()) + " has " + count
                    + " elements, more than a Java array holds (" + NdArray.MAX_ELEMENTS + ")");
        }
        return count;
    }

    private static NdArray readData(ByteSource in, NpyHeader header, int count) throws IOException {
        Object data = in.readElements(header.dtype(), count, "NPY data");
        return NdArray.wrap(header.dtype().decodedAs(), header.shape(), data);
    }
}
