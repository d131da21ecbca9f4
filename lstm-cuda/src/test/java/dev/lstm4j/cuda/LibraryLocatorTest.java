package dev.lstm4j.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LibraryLocatorTest {

    @Test
    void ldSoConfFollowsIncludesAndIgnoresComments(@TempDir Path dir) throws IOException {
        Path confD = Files.createDirectories(dir.resolve("ld.so.conf.d"));
        Files.writeString(dir.resolve("ld.so.conf"), "# system\ninclude ld.so.conf.d/*.conf\n/opt/first\n");
        Files.writeString(confD.resolve("b-cuda.conf"), "/usr/local/cuda-13.0/lib64  # toolkit\n");
        Files.writeString(confD.resolve("a-nvidia.conf"), "/usr/lib/nvidia\n\n");
        Files.writeString(confD.resolve("ignored.txt"), "/nowhere\n");
        assertEquals(List.of(Path.of("/usr/lib/nvidia"), Path.of("/usr/local/cuda-13.0/lib64"), Path.of("/opt/first")),
                LibraryLocator.ldSoConf(dir.resolve("ld.so.conf"), 0));
    }

    @Test
    void findsTheFirstFolderHoldingTheLibrary(@TempDir Path dir) throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.createFile(b.resolve("libcublas.so.13"));
        LibraryLocator locator = new LibraryLocator(List.of(a, b));
        assertEquals(b.resolve("libcublas.so.13"), locator.find("libcublas.so.13").orElseThrow());
        assertTrue(locator.find("libcudnn.so.9").isEmpty());
    }
}
