package dev.lstm4j.cuda;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * JavaCPP pointers that name a raw address (device memory, a kernel-argument slot) without owning it: nothing
 * is freed when they are dropped. The typed ones are re-aimed per call, so a GEMM allocates no native memory.
 */
final class DevicePointers {

    private DevicePointers() {
    }

    /** An untyped pointer to {@code address}. */
    static Pointer at(long address) {
        return new Raw(address);
    }

    private static final class Raw extends Pointer {
        Raw(long address) {
            this.address = address;
        }
    }

    /** A float pointer that can be re-aimed. */
    static final class Floats extends FloatPointer {
        Floats at(long address) {
            this.address = address;
            return this;
        }
    }

    /** A double pointer that can be re-aimed. */
    static final class Doubles extends DoublePointer {
        Doubles at(long address) {
            this.address = address;
            return this;
        }
    }
}
