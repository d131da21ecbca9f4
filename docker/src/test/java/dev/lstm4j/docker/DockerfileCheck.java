package dev.lstm4j.docker;

import dev.lstm4j.docker.Dockerfile.Instruction;
import dev.lstm4j.docker.Dockerfile.Stage;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What can break a Dockerfile of this repository without a Docker engine noticing: each check returns the
 * problems it finds, as lines naming the Dockerfile, its line and the path, so a test can show them all.
 * Paths in the build context are relative to the repository root; a build stage's files under its WORKDIR
 * map onto the repository as built by Maven.
 */
final class DockerfileCheck {
    private static final Pattern MODULES = Pattern.compile("-pl\\s+(\\S+)");
    private static final Pattern PROPERTY = Pattern.compile("-D([\\w.]+)");

    private final Path root;
    private final Dockerfile dockerfile;
    private final Reactor reactor;

    DockerfileCheck(Path root, Dockerfile dockerfile) {
        this.root = root;
        this.dockerfile = dockerfile;
        this.reactor = new Reactor(root);
    }

    /** Every module's pom is copied before the first Maven run: Maven reads them all, whatever -pl says. */
    List<String> modulePomsCopiedBeforeMaven() {
        List<String> problems = new ArrayList<>();
        for (Stage stage : dockerfile.stages()) {
            Instruction firstMaven = stage.all("RUN").stream().filter(r -> r.text().contains("mvnw")).findFirst()
                    .orElse(null);
            if (firstMaven == null) {
                continue;
            }
            Set<String> copied = new HashSet<>();
            for (Instruction copy : stage.all("COPY")) {
                if (copy.line() < firstMaven.line() && copy.flag("from") == null) {
                    copied.addAll(sources(copy));
                }
            }
            for (String module : reactor.modules()) {
                if (!copied.contains(module + "/pom.xml")) {
                    problems.add(where(firstMaven) + ": module " + module + "'s pom.xml is not copied before Maven "
                            + "runs (the root pom lists it)");
                }
            }
        }
        return problems;
    }

    /** Every file or folder copied from the build context exists and is not excluded by .dockerignore. */
    List<String> contextSourcesExist() throws IOException {
        List<PathMatcher> ignored = dockerignore();
        List<String> problems = new ArrayList<>();
        for (Stage stage : dockerfile.stages()) {
            for (Instruction copy : stage.all("COPY")) {
                if (copy.flag("from") != null) {
                    continue;
                }
                for (String source : sources(copy)) {
                    Path path = root.resolve(source);
                    if (!Files.exists(path)) {
                        problems.add(where(copy) + ": copies " + source + ", which does not exist");
                    } else if (isIgnored(Path.of(strip(source)), ignored)) {
                        problems.add(where(copy) + ": copies " + source + ", which .dockerignore excludes");
                    }
                }
            }
        }
        return problems;
    }

    /**
     * What a stage copies from another exists there: a path under that stage's WORKDIR must exist in the
     * repository after the Maven build; any other path must be written by one of that stage's RUNs.
     */
    List<String> stageOutputsExist() {
        List<String> problems = new ArrayList<>();
        for (Stage stage : dockerfile.stages()) {
            for (Instruction copy : stage.all("COPY")) {
                String from = copy.flag("from");
                if (from == null) {
                    continue;
                }
                Stage source = dockerfile.stage(from);
                String workdir = source.workdirAt(null) + "/";
                for (String path : sources(copy)) {
                    if (path.startsWith(workdir)) {
                        String inRepo = path.substring(workdir.length());
                        if (!Files.exists(root.resolve(inRepo))) {
                            problems.add(where(copy) + ": copies " + path + " from stage " + from + ", but "
                                    + inRepo + " does not exist after the Maven build");
                        }
                    } else if (source.all("RUN").stream().noneMatch(r -> r.text().contains(strip(path)))) {
                        problems.add(where(copy) + ": copies " + path + " from stage " + from
                                + ", which no RUN of that stage writes");
                    }
                }
            }
        }
        return problems;
    }

    /**
     * Each Maven run that packages names real modules with -pl, and the sources of every module it builds
     * (-am: their own dependencies, in the profiles its -D flags select) are copied before it.
     */
    List<String> builtModulesHaveTheirSources() {
        List<String> problems = new ArrayList<>();
        List<String> modules = reactor.modules();
        for (Stage stage : dockerfile.stages()) {
            for (Instruction run : stage.all("RUN")) {
                Matcher pl = MODULES.matcher(run.text());
                if (!run.text().contains("mvnw") || !pl.find()) {
                    continue;
                }
                List<String> selected = Arrays.asList(pl.group(1).split(","));
                for (String module : selected) {
                    if (!modules.contains(module)) {
                        problems.add(where(run) + ": -pl names " + module + ", which is not a module of the root pom");
                    }
                }
                if (!run.text().contains(" package") || !modules.containsAll(selected)) {
                    continue;
                }
                Set<String> properties = new HashSet<>();
                PROPERTY.matcher(run.text()).results().forEach(m -> properties.add(m.group(1)));
                Set<String> copied = new HashSet<>();
                stage.all("COPY").stream().filter(c -> c.line() < run.line() && c.flag("from") == null)
                        .forEach(c -> sources(c).forEach(s -> copied.add(strip(s))));
                for (String module : reactor.withDependencies(selected, properties)) {
                    if (Files.isDirectory(root.resolve(module).resolve("src")) && !copied.contains(module + "/src")) {
                        problems.add(where(run) + ": builds " + module + " but its src/ is not copied before");
                    }
                }
            }
        }
        return problems;
    }

    /**
     * The image's ENTRYPOINT is a file it copies into a folder on the PATH, and every absolute path under
     * /opt that the copied launcher scripts name is a destination the image copies to.
     */
    List<String> entrypointAndLauncherResolve() throws IOException {
        List<String> problems = new ArrayList<>();
        Stage image = dockerfile.image();
        List<Instruction> copies = image.all("COPY");
        List<String> destinations = copies.stream().map(c -> c.args().get(c.args().size() - 1)).toList();
        for (Instruction entrypoint : image.all("ENTRYPOINT")) {
            String command = entrypoint.args().get(0);
            String target = command.startsWith("/") ? command : "/usr/local/bin/" + command;
            if (!destinations.contains(target)) {
                problems.add(where(entrypoint) + ": ENTRYPOINT " + command + " is not copied to " + target);
            }
        }
        for (Instruction copy : copies) {
            if (copy.flag("from") != null) {
                continue;
            }
            for (String source : sources(copy)) {
                Path script = root.resolve(source);
                if (!Files.isRegularFile(script) || !Files.readString(script).startsWith("#!")) {
                    continue;
                }
                Matcher named = Pattern.compile("/opt/[\\w./-]+").matcher(Files.readString(script));
                while (named.find()) {
                    String path = named.group();
                    boolean provided = destinations.stream().anyMatch(d -> d.equals(path)
                            || (d.endsWith("/") && path.startsWith(d)));
                    if (!provided) {
                        problems.add(where(copy) + ": " + source + " names " + path + ", which the image does "
                                + "not copy");
                    }
                }
            }
        }
        return problems;
    }

    /** A COPY's sources: every argument but the last (the destination). */
    private static List<String> sources(Instruction copy) {
        return copy.args().subList(0, copy.args().size() - 1);
    }

    private static String strip(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private String where(Instruction instruction) {
        return root.relativize(dockerfile.file().toAbsolutePath()) + ":" + instruction.line();
    }

    /** .dockerignore's patterns (no exceptions with '!' are used), as glob matchers; "**" may match nothing. */
    private List<PathMatcher> dockerignore() throws IOException {
        List<PathMatcher> matchers = new ArrayList<>();
        Path file = root.resolve(".dockerignore");
        if (!Files.exists(file)) {
            return matchers;
        }
        for (String line : Files.readAllLines(file)) {
            String pattern = strip(line.strip());
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            if (pattern.startsWith("!")) {
                throw new AssertionError(".dockerignore exception patterns are not understood by this check: " + line);
            }
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
            if (pattern.startsWith("**/")) {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)));
            }
        }
        return matchers;
    }

    /** Whether {@code path} or a folder above it matches an ignore pattern. */
    private static boolean isIgnored(Path path, List<PathMatcher> ignored) {
        for (Path p = path; p != null; p = p.getParent()) {
            Path candidate = p;
            if (ignored.stream().anyMatch(m -> m.matches(candidate))) {
                return true;
            }
        }
        return false;
    }
}
