package dev.lstm4j.docker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checks find what they are for, on a broken Dockerfile against this repository's poms. */
class DockerfileCheckTest {
    private static final Path ROOT = DockerfilePathsIT.ROOT;

    @TempDir
    Path dir;

    @Test
    void aBrokenDockerfileGetsOneProblemPerMistake() throws IOException {
        List<String> modules = new Reactor(ROOT).modules();
        StringBuilder text = new StringBuilder("""
                ARG BASE=eclipse-temurin:17-jdk-noble
                FROM ${BASE} AS build
                WORKDIR /src
                COPY mvnw pom.xml ./
                """);
        // every pom but lstm-train's
        modules.stream().filter(m -> !m.equals("lstm-train")).forEach(m -> text.append("COPY ").append(m)
                .append("/pom.xml ").append(m).append("/\n"));
        text.append("""
                RUN sh mvnw -B -q dependency:go-offline -pl lstm-bench -am
                COPY lstm-api/src/ lstm-api/src/
                COPY lstm-renamed/src/ lstm-renamed/src/
                COPY docs/ docs/
                RUN sh mvnw -B -o package -Dlstm.cpuOnly \\
                    -pl lstm-bench,lstm-gone -am
                FROM ubuntu:24.04
                COPY --from=build /src/lstm-bench/target/lstm-old-name.jar /opt/lstm4j/lstm.jar
                COPY --from=build /opt/jre /opt/java
                ENTRYPOINT ["lstm"]
                """);
        Path file = dir.resolve("Dockerfile.broken");
        Files.writeString(file, text);
        DockerfileCheck check = new DockerfileCheck(ROOT, Dockerfile.read(file));

        List<String> poms = check.modulePomsCopiedBeforeMaven();
        assertEquals(1, poms.size(), poms::toString);
        assertTrue(poms.get(0).contains("lstm-train's pom.xml"), poms::toString);

        List<String> context = check.contextSourcesExist();
        assertEquals(2, context.size(), context::toString);
        assertTrue(context.get(0).contains("lstm-renamed/src/, which does not exist"), context::toString);
        assertTrue(context.get(1).contains("docs/, which .dockerignore excludes"), context::toString);

        List<String> built = check.builtModulesHaveTheirSources();
        assertEquals(1, built.size(), built::toString);
        assertTrue(built.get(0).contains("-pl names lstm-gone"), built::toString);

        List<String> outputs = check.stageOutputsExist();
        assertEquals(2, outputs.size(), outputs::toString);
        assertTrue(outputs.get(0).contains("lstm-bench/target/lstm-old-name.jar does not exist"), outputs::toString);
        assertTrue(outputs.get(1).contains("/opt/jre from stage build, which no RUN of that stage writes"),
                outputs::toString);

        List<String> launch = check.entrypointAndLauncherResolve();
        assertEquals(1, launch.size(), launch::toString);
        assertTrue(launch.get(0).contains("ENTRYPOINT lstm is not copied to /usr/local/bin/lstm"), launch::toString);
    }

    @Test
    void theSourcesOfEveryModuleBuiltWithDependenciesAreRequired() throws IOException {
        // lstm-bench -am without -Dlstm.cpuOnly builds lstm-cuda (its profile), whose sources are not copied
        Path file = dir.resolve("Dockerfile.partial");
        Files.writeString(file, """
                FROM eclipse-temurin:17-jdk-noble AS build
                WORKDIR /src
                COPY lstm-api/src/ lstm-api/src/
                COPY lstm-conformance/src/ lstm-conformance/src/
                COPY lstm-cpu/src/ lstm-cpu/src/
                COPY lstm-train/src/ lstm-train/src/
                COPY lstm-peer-protocol/src/ lstm-peer-protocol/src/
                COPY lstm-bench/src/ lstm-bench/src/
                RUN sh mvnw -B -o package -pl lstm-bench -am
                RUN sh mvnw -B -o package -Dlstm.cpuOnly -pl lstm-bench -am
                """);
        List<String> problems = new DockerfileCheck(ROOT, Dockerfile.read(file)).builtModulesHaveTheirSources();
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains(":9: builds lstm-cuda but its src/ is not copied"), problems::toString);
    }
}
