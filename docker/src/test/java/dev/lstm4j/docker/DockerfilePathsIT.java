package dev.lstm4j.docker;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every path and artifact the images copy exists after the Maven build, so that a renamed module, jar or
 * script fails here rather than in an image build elsewhere (this machine has no Docker engine). Runs as an
 * integration test: after lstm-bench's package phase, in `./mvnw verify`.
 */
class DockerfilePathsIT {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.cuda", "Dockerfile.cpu"})
    void everyPathTheImageCopiesExists(String name) throws IOException {
        Path file = ROOT.resolve("docker").resolve(name);
        assertTrue(Files.isRegularFile(file), file + " is missing");
        Dockerfile dockerfile = Dockerfile.read(file);
        DockerfileCheck check = new DockerfileCheck(ROOT, dockerfile);
        assertNoProblems(check.modulePomsCopiedBeforeMaven());
        assertNoProblems(check.contextSourcesExist());
        assertNoProblems(check.builtModulesHaveTheirSources());
        assertNoProblems(check.stageOutputsExist());
        assertNoProblems(check.entrypointAndLauncherResolve());
    }

    static void assertNoProblems(List<String> problems) {
        assertEquals(List.of(), problems, () -> String.join("\n", problems));
    }
}
