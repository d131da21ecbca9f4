package dev.lstm4j.api.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds hand-made file fixtures byte by byte, little-endian, as the format specifications describe them. */
final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    Bytes ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    Bytes utf8(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Bytes u16(int v) {
        return put(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v));
    }

    Bytes u32(long v) {
        return put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v));
    }

    Bytes u64(long v) {
        return put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v));
    }

    Bytes f32(float... values) {
        for (float v : values) {
            put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v));
        }
        return this;
    }

    Bytes f64(double... values) {
        for (double v : values) {
            put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v));
        }
        return this;
    }

    /** A safetensors file: header length, the header JSON as given (no padding added), then {@code data}. */
    static byte[] safetensors(String json, byte[] data) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return new Bytes().u64(header.length).raw(toInts(header)).raw(toInts(data)).toArray();
    }

    /** An NPY version 1.0 file with the dict as given, padded to 64 bytes like numpy, then {@code data}. */
    static byte[] npyV1(String dict, byte[] data) {
        int length = dict.length() + 1;
        int padding = (64 - (10 + length) % 64) % 64;
        return new Bytes().raw(0x93).ascii("NUMPY").raw(1, 0).u16(length + padding)
                .ascii(dict + " ".repeat(padding) + "\n").raw(toInts(data)).toArray();
    }

    static int[] toInts(byte[] bytes) {
        int[] out = new int[bytes.length];
        for (int k = 0; k < bytes.length; k++) {
            out[k] = bytes[k] & 0xff;
        }
        return out;
    }

    byte[] toArray() {
        return out.toByteArray();
    }

    private Bytes put(ByteBuffer b) {
        out.writeBytes(b.array());
        return this;
    }
}
