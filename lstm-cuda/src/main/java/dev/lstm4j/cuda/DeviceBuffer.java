package dev.lstm4j.cuda;

/**
 * A block of device memory handed out by {@link DeviceMemory}; closing returns it (closing twice is harmless).
 * Addresses are plain numbers: commands carry them as values.
 */
final class DeviceBuffer implements AutoCloseable {
    private final DeviceMemory owner;
    private final long address;
    private final long bytes;        // what the caller asked for
    private final long blockBytes;   // the pool's block, bytes rounded up
    private final String what;
    private boolean closed;

    DeviceBuffer(DeviceMemory owner, long address, long bytes, long blockBytes, String what) {
        this.owner = owner;
        this.address = address;
        this.bytes = bytes;
        this.blockBytes = blockBytes;
        this.what = what;
    }

    /** The first byte; throws if closed. */
    long address() {
        if (closed) {
            throw new IllegalStateException(what + " was freed");
        }
        return address;
    }

    /** The address {@code byteOffset} bytes in. */
    long at(long byteOffset) {
        return address() + byteOffset;
    }

    long bytes() {
        return bytes;
    }

    long blockBytes() {
        return blockBytes;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.release(this, address);
        }
    }

    @Override
    public String toString() {
        return what + " (" + bytes + " bytes at 0x" + Long.toHexString(address) + (closed ? ", freed)" : ")");
    }
}
