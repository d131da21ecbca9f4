package dev.lstm4j.cuda;

/**
 * One argument of a kernel launch, typed as the kernel's C signature declares it. Values compare by content, so
 * a launch can be part of a graph-cache key.
 */
sealed interface KernelArg {

    /** A C {@code int}. */
    record I32(int value) implements KernelArg {
    }

    /** A C {@code long long}. */
    record I64(long value) implements KernelArg {
    }

    /** A C {@code float}. */
    record F32(float value) implements KernelArg {
    }

    /** A C {@code double}. */
    record F64(double value) implements KernelArg {
    }

    /** A device pointer; 0 is the null pointer, which the kernels read as "absent". */
    record Ptr(long address) implements KernelArg {
    }
}
