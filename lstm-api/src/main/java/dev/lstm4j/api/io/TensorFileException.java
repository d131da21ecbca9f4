package dev.lstm4j.api.io;

import java.io.IOException;

/**
 * A tensor file (NPY, safetensors, parameter file) that cannot be used. The message starts with the file
 * when it is known, then says what was expected and what was found.
 *
 * <p>Catch this type to handle every format problem of this package in one place; the subclasses say
 * whether the bytes are broken ({@link MalformedFileException}), valid but beyond what lstm4j reads
 * ({@link UnsupportedFormatException}), or valid tensors that do not fit a recurrent stack
 * ({@link ParameterMismatchException}).
 */
public class TensorFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;

    public TensorFileException(String source, String detail) {
        this(source, detail, null);
    }

    public TensorFileException(String source, String detail, Throwable cause) {
        super(source == null ? detail : source + ": " + detail, cause);
        this.source = source;
    }

    /** The file or stream description the problem was found in, or {@code null} when unknown. */
    public String source() {
        return source;
    }
}
