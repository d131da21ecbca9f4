package dev.lstm4j.api.io;

/**
 * The file follows its format but uses a feature lstm4j does not read: a big-endian or unknown dtype,
 * Fortran order, a format version from the future, an array larger than a Java array.
 */
public class UnsupportedFormatException extends TensorFileException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFormatException(String source, String detail) {
        super(source, detail);
    }
}
