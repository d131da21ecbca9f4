package dev.lstm4j.bench.cli;

import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * A failure the user can act on, with a message that is shown as is. Other exceptions are described by
 * {@link #describe}, which keeps the message and drops the Java noise.
 */
public final class ToolFailure extends RuntimeException {

    public ToolFailure(String message) {
        super(message);
    }

    public ToolFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** One line for stderr. */
    static String describe(Throwable e) {
        if (e instanceof ToolFailure) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException || e instanceof FileNotFoundException) {
            return "file not found: " + e.getMessage();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message;
    }
}
