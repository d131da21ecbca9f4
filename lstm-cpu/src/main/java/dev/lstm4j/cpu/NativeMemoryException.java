package dev.lstm4j.cpu;

/** Native memory could not be allocated; the backend stays usable. */
public final class NativeMemoryException extends RuntimeException {
    NativeMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
