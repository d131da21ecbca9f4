package dev.lstm4j.cpu;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Reusable, non-owning pointers into a {@link NativeBuffer}. The time loops call BLAS and copy rows
 * thousands of times per pass; re-aiming one view object avoids creating a JavaCPP pointer per call.
 * A view never frees anything and is only valid while its buffer is open.
 */
final class Views {
    private Views() {
    }

    /** A float pointer re-aimed at {@code buffer + offset} elements. */
    static final class Floats extends FloatPointer {
        Floats at(NativeBuffer buffer, long offset) {
            address = buffer.address();
            position = offset;
            limit = capacity = Math.max(buffer.elements(), 1);
            return this;
        }
    }

    /** A double pointer re-aimed at {@code buffer + offset} elements. */
    static final class Doubles extends DoublePointer {
        Doubles at(NativeBuffer buffer, long offset) {
            address = buffer.address();
            position = offset;
            limit = capacity = Math.max(buffer.elements(), 1);
            return this;
        }
    }

    /** A byte pointer at an absolute address, for memset/memcpy. */
    static final class Bytes extends BytePointer {
        Bytes at(long absoluteAddress) {
            address = absoluteAddress;
            position = 0;
            limit = capacity = 0;
            return this;
        }
    }
}
