package dev.lstm4j.api.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** The reference files made by {@code fixtures/make_fixtures.py} with numpy and safetensors. */
final class Fixtures {
    private Fixtures() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Objects.requireNonNull(Fixtures.class.getResourceAsStream("fixtures/" + name),
                "test resource fixtures/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the fixture into {@code dir}, so that readers are tested on real files. */
    static Path file(Path dir, String name) throws IOException {
        return Files.write(dir.resolve(name), bytes(name));
    }
}
