package dev.lstm4j.api.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Writes an array's elements little-endian through a bounded buffer, whatever the array's size. */
final class ElementWriter {
    private static final int CHUNK = 1 << 16;

    private ElementWriter() {
    }

    static void write(NdArray array, OutputStream out) throws IOException {
        StoredDType stored = array.dtype().stored();
        int perChunk = CHUNK / stored.byteSize();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < array.size(); done += perChunk) {
            int n = Math.min(perChunk, array.size() - done);
            chunk.clear();
            stored.encode(array.data(), done, n, chunk);
            out.write(chunk.array(), 0, chunk.position());
        }
    }
}
