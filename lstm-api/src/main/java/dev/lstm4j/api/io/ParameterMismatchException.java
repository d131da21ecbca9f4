package dev.lstm4j.api.io;

/**
 * A well-formed tensor file whose tensors are not the parameters of the expected recurrent stack: names
 * missing or unexpected, shapes that disagree, integer tensors where weights belong.
 */
public class ParameterMismatchException extends TensorFileException {
    private static final long serialVersionUID = 1L;

    public ParameterMismatchException(String source, String detail) {
        super(source, detail);
    }

    public ParameterMismatchException(String source, String detail, Throwable cause) {
        super(source, detail, cause);
    }
}
