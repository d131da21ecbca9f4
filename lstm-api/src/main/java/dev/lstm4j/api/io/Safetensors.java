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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length {@code N}, {@code N} bytes
 * of UTF-8 JSON {@code {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {..}}},
 * then the data buffer, which the tensors' byte ranges tile exactly.
 *
 * <p>Reads F32, F64, I32, I64 and, widened to float32, F16 and BF16; writes F32, F64, I32 and I64. Every
 * size in a file is checked against the bytes that exist before anything is allocated, so a hostile file
 * ends in a {@link TensorFileException}, never in an {@link OutOfMemoryError}.
 */
public final class Safetensors {
    /** Header bytes accepted, the reference implementation's limit. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final int LENGTH_PREFIX = 8;
    private static final int HEADER_ALIGNMENT = 8;

    private Safetensors() {
    }

    public static SafetensorsFile read(Path file) throws IOException {
        return read(file, name -> true);
    }

    /**
     * Reads only the tensors whose names {@code include} accepts, skipping the others' bytes; the whole
     * header is still validated.
     */
    public static SafetensorsFile read(Path file, Predicate<String> include) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            ByteSource in = new ByteSource(channel, file.toString(), channel.size());
            return readData(in, readHeader(in), include);
        }
    }

    /** Reads a whole file's content from {@code in}, which must end where the data buffer ends. */
    public static SafetensorsFile read(InputStream in) throws IOException {
        ByteSource source = new ByteSource(Channels.newChannel(in), null, -1);
        SafetensorsFile file = readData(source, readHeader(source), name -> true);
        if (!source.atEnd()) {
            throw new MalformedFileException(null, "the safetensors stream goes on after byte "
                    + (source.position() - 1) + ", where its tensors' data_offsets end; expected it to end there");
        }
        return file;
    }

    /** Only the header: names, dtypes, shapes, offsets and metadata, without reading the data. */
    public static SafetensorsHeader readHeader(Path file) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            return readHeader(new ByteSource(channel, file.toString(), channel.size()));
        }
    }

    public static void write(SafetensorsFile content, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            write(content, out);
        }
    }

    /**
     * Writes the tensors in the map's order, their data contiguous from offset 0, the header padded with
     * spaces to a multiple of 8 bytes so that the data starts aligned. Does not close {@code out}.
     */
    public static void write(SafetensorsFile content, OutputStream out) throws IOException {
        byte[] header = headerJson(content).getBytes(StandardCharsets.UTF_8);
        int padding = (HEADER_ALIGNMENT - header.length % HEADER_ALIGNMENT) % HEADER_ALIGNMENT;
        out.write(ByteBuffer.allocate(LENGTH_PREFIX).order(ByteOrder.LITTLE_ENDIAN)
                .putLong((long) header.length + padding).array());
        out.write(header);
        out.write(" ".repeat(padding).getBytes(StandardCharsets.US_ASCII));
        for (NdArray array : content.tensors().values()) {
            ElementWriter.write(array, out);
        }
        out.flush();
    }

    static String headerJson(SafetensorsFile content) {
        content.metadata().forEach((key, value) -> {
            requireUtf8(key, "metadata key");
            requireUtf8(value, "metadata value");
        });
        StringBuilder json = new StringBuilder("{");
        if (!content.metadata().isEmpty()) {
            json.append(Json.quote(SafetensorsHeaderParser.METADATA_KEY)).append(":{");
            String separator = "";
            for (Map.Entry<String, String> e : content.metadata().entrySet()) {
                json.append(separator).append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
                separator = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, NdArray> e : content.tensors().entrySet()) {
            if (e.getKey().equals(SafetensorsHeaderParser.METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor cannot be called " + e.getKey()
                        + ", the header key reserved for metadata");
            }
            requireUtf8(e.getKey(), "tensor name");
            NdArray array = e.getValue();
            long end = Math.addExact(offset, (long) array.size() * array.dtype().byteSize());
            json.append(json.length() > 1 ? "," : "").append(Json.quote(e.getKey()))
                    .append(":{\"dtype\":\"").append(array.dtype().stored().name()).append("\",\"shape\":[");
            long[] shape = array.shape();
            for (int k = 0; k < shape.length; k++) {
                json.append(k == 0 ? "" : ",").append(shape[k]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        return json.append('}').toString();
    }

    /** A lone UTF-16 surrogate would silently become '?' in the file, so that the name read back differs. */
    private static void requireUtf8(String s, String what) {
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(s)) {
            throw new IllegalArgumentException(what + " " + Json.quote(s) + " is not valid Unicode text "
                    + "(it holds a lone UTF-16 surrogate) and cannot be stored as UTF-8");
        }
    }

    private static SafetensorsHeader readHeader(ByteSource in) throws IOException {
        if (in.length() >= 0 && in.length() < LENGTH_PREFIX) {
            throw new MalformedFileException(in.source(), "too short for a safetensors file: expected at least "
                    + LENGTH_PREFIX + " bytes for the header length, found " + in.length());
        }
        long headerLength = ByteBuffer.wrap(in.readBytes(LENGTH_PREFIX, "safetensors header length"))
                .order(ByteOrder.LITTLE_ENDIAN).getLong();
        // an unsigned 64-bit field: a "negative" long is a length beyond 2^63
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new MalformedFileException(in.source(), "safetensors header length "
                    + Long.toUnsignedString(headerLength) + " bytes exceeds the limit of " + MAX_HEADER_BYTES
                    + " bytes");
        }
        long available = in.length() - LENGTH_PREFIX;
        if (in.length() >= 0 && headerLength > available) {
            throw new MalformedFileException(in.source(), "safetensors header length " + headerLength
                    + " bytes is larger than the " + available + " bytes after the 8-byte length prefix");
        }
        byte[] header = in.readBytes((int) headerLength, "safetensors header");
        long dataLength = in.length() >= 0 ? available - headerLength : -1;
        return SafetensorsHeaderParser.parse(header, in.source(), dataLength);
    }

    private static SafetensorsFile readData(ByteSource in, SafetensorsHeader header, Predicate<String> include)
            throws IOException {
        // the ranges tile the buffer, so reading them by offset is one sequential pass
        List<SafetensorsHeader.Entry> byOffset = new ArrayList<>(header.tensors().values());
        byOffset.sort(Comparator.comparingLong(SafetensorsHeader.Entry::begin)
                .thenComparingLong(SafetensorsHeader.Entry::end));
        Map<String, NdArray> read = new LinkedHashMap<>();
        for (SafetensorsHeader.Entry e : byOffset) {
            if (!include.test(e.name())) {
                in.skip(e.end() - e.begin(), "data of tensor '" + e.name() + "'");
                continue;
            }
            long count = e.elementCount();
            if (count > NdArray.MAX_ELEMENTS) {
                throw new UnsupportedFormatException(in.source(), "tensor '" + e.name() + "' has " + count
                        + " elements, more than a Java array holds (" + NdArray.MAX_ELEMENTS + ")");
            }
            Object data = in.readElements(e.dtype(), (int) count, "data of tensor '" + e.name() + "'");
            read.put(e.name(), NdArray.wrap(e.dtype().decodedAs(), e.shape(), data));
        }
        Map<String, NdArray> inHeaderOrder = new LinkedHashMap<>();
        for (String name : header.tensors().keySet()) {
            if (read.containsKey(name)) {
                inHeaderOrder.put(name, read.get(name));
            }
        }
        return new SafetensorsFile(inHeaderOrder, header.metadata());
    }
}
