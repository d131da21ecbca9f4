package dev.lstm4j.api.io;

/** The bytes do not follow the format: truncated, inconsistent, or not the format at all. */
public class MalformedFileException extends TensorFileException {
    private static final long serialVersionUID = 1L;

    public MalformedFileException(String source, String detail) {
        super(source, detail);
    }

    public MalformedFileException(String source, String detail, Throwable cause) {
        super(source, detail, cause);
    }
}
