package dev.lstm4j.peer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;

/** Reads required entries of a request or report file, naming the file and key when one is missing. */
final class PropertyReader {
    private final Properties properties;
    private final Path file;

    PropertyReader(Properties properties, Path file) {
        this.properties = properties;
        this.file = file;
    }

    String string(String key) throws IOException {
        String v = properties.getProperty(key);
        if (v == null) {
            throw new IOException(file + ": missing entry '" + key + "'");
        }
        return v;
    }

    int intValue(String key) throws IOException {
        String v = string(key);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IOException(file + ": entry '" + key + "' must be an integer, got '" + v + "'", e);
        }
    }
}
