package dev.lstm4j.api.io;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/**
 * Sequential reads from a file or stream that never allocate more than the bytes that exist.
 *
 * <p>For a file the length is known, so a request is checked against it before anything is allocated.
 * For a stream it is not: buffers then start small and double only as data actually arrives, so a
 * header that claims a terabyte costs at most twice the bytes really sent before the stream ends.
 */
final class ByteSource {
    private static final int CHUNK = 1 << 20;

    private final ReadableByteChannel channel;
    private final String source;   // for messages; null for a stream without a name
    private final long length;     // total bytes, or -1 when unknown (streams)
    private long position;

    ByteSource(ReadableByteChannel channel, String source, long length) {
        this.channel = channel;
        this.source = source;
        this.length = length;
    }

    String source() {
        return source;
    }

    long position() {
        return position;
    }

    /** Total bytes of the file, or -1 for a stream. */
    long length() {
        return length;
    }

    /** Exactly {@code count} bytes, or a {@link MalformedFileException} naming {@code what} was cut short. */
    byte[] readBytes(int count, String what) throws IOException {
        requireAvailable(count, what);
        byte[] out = new byte[length >= 0 ? count : Math.min(count, CHUNK)];
        int filled = 0;
        while (filled < count) {
            if (filled == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(count, 2L * out.length));
            }
            int n = fill(ByteBuffer.wrap(out, filled, out.length - filled));
            filled += n;
            if (filled < out.length) {
                throw truncated(what, count, filled);
            }
        }
        return out;
    }

    /**
     * Reads {@code count} elements stored as {@code stored} into a new array of its
     * {@link StoredDType#decodedAs()} type.
     */
    Object readElements(StoredDType stored, int count, String what) throws IOException {
        long byteCount = (long) count * stored.byteSize();
        requireAvailable(byteCount, what);
        ArrayDType target = stored.decodedAs();
        int elementsPerChunk = CHUNK / stored.byteSize();
        Object out = target.newArray(length >= 0 ? count : Math.min(count, elementsPerChunk));
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(byteCount, CHUNK)).order(ByteOrder.LITTLE_ENDIAN);
        int filled = 0;
        while (filled < count) {
            int n = Math.min(elementsPerChunk, count - filled);
            chunk.clear().limit(n * stored.byteSize());
            int got = fill(chunk);
            if (got < chunk.limit()) {
                throw truncated(what, byteCount, (long) filled * stored.byteSize() + got);
            }
            int capacity = Array.getLength(out);
            if (filled + n > capacity) {
                out = target.copyOf(out, (int) Math.min(count, Math.max(2L * capacity, filled + n)));
            }
            chunk.flip();
            stored.decode(chunk, out, filled, n);
            filled += n;
        }
        return out;
    }

    /** Moves past {@code count} bytes that the caller does not need, without reading them from a file. */
    void skip(long count, String what) throws IOException {
        requireAvailable(count, what);
        if (channel instanceof SeekableByteChannel seekable) {
            seekable.position(seekable.position() + count);
            position += count;
            return;
        }
        ByteBuffer scratch = ByteBuffer.allocate((int) Math.min(count, CHUNK));
        for (long left = count; left > 0; ) {
            scratch.clear().limit((int) Math.min(left, scratch.capacity()));
            int got = fill(scratch);
            if (got < scratch.limit()) {
                throw truncated(what, count, count - left + got);
            }
            left -= got;
        }
    }

    /** Whether no byte is left; on a stream this consumes one byte when there is one. */
    boolean atEnd() throws IOException {
        if (length >= 0) {
            return position >= length;
        }
        return fill(ByteBuffer.allocate(1)) == 0;
    }

    private void requireAvailable(long count, String what) throws MalformedFileException {
        if (length >= 0 && count > length - position) {
            throw new MalformedFileException(source, "truncated " + what + ": expected " + count
                    + " bytes at offset " + position + ", but the file has only " + (length - position)
                    + " bytes left");
        }
    }

    private MalformedFileException truncated(String what, long expected, long found) {
        return new MalformedFileException(source, "truncated " + what + ": expected " + expected
                + " bytes, found only " + found + " before the end of the data");
    }

    /** Reads until {@code buffer} is full or the input ends; returns the bytes read. */
    private int fill(ByteBuffer buffer) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer);
            if (n < 0) {
                break;
            }
            total += n;
        }
        position += total;
        return total;
    }
}
