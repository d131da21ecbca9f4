package dev.lstm4j.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile read as far as the path check needs: its build stages, each a list of instructions with their
 * flags and arguments. Knows comments, line continuations and the JSON (exec) form; not variable expansion,
 * heredocs or parser directives beyond skipping them (the Dockerfiles here use none in what is checked).
 */
record Dockerfile(Path file, List<Stage> stages) {

    /** One instruction: keyword in upper case, {@code --flags}, then the remaining words. */
    record Instruction(String keyword, List<String> flags, List<String> args, int line) {
        /** The value of {@code --name=value}, or null. */
        String flag(String name) {
            return flags.stream().filter(f -> f.startsWith("--" + name + "=")).map(f -> f.substring(name.length() + 3))
                    .findFirst().orElse(null);
        }

        /** The words of a RUN or the arguments as one line, for searching commands. */
        String text() {
            return String.join(" ", args);
        }
    }

    /** A build stage: its name (null when unnamed) and the WORKDIR in force at each instruction. */
    record Stage(String name, List<Instruction> instructions) {
        /** The last WORKDIR before {@code instruction} (null: after the last one), or "/" if none. */
        String workdirAt(Instruction instruction) {
            String dir = "/";
            for (Instruction i : instructions) {
                if (i == instruction) {
                    break;
                }
                if (i.keyword().equals("WORKDIR")) {
                    dir = i.args().get(0).startsWith("/") ? i.args().get(0) : dir + "/" + i.args().get(0);
                }
            }
            return dir;
        }

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }
    }

    static Dockerfile read(Path file) throws IOException {
        List<Stage> stages = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        StringBuilder logical = new StringBuilder();
        int start = 0;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.strip().startsWith("#") || (logical.length() == 0 && line.isBlank())) {
                continue;
            }
            if (logical.length() == 0) {
                start = n + 1;
            }
            boolean continues = line.endsWith("\\");
            logical.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                add(stages, parse(logical.toString().strip(), start), file);
                logical.setLength(0);
            }
        }
        return new Dockerfile(file, List.copyOf(stages));
    }

    private static void add(List<Stage> stages, Instruction instruction, Path file) {
        if (instruction.keyword().equals("FROM")) {
            List<String> a = instruction.args();
            String name = a.size() >= 3 && a.get(1).equalsIgnoreCase("AS") ? a.get(2) : null;
            stages.add(new Stage(name, new ArrayList<>()));
        } else if (stages.isEmpty()) {
            if (!instruction.keyword().equals("ARG")) {
                throw new IllegalStateException(file + ":" + instruction.line() + ": " + instruction.keyword()
                        + " before the first FROM");
            }
            return;   // global ARGs
        }
        stages.get(stages.size() - 1).instructions().add(instruction);
    }

    private static Instruction parse(String text, int line) {
        int space = text.indexOf(' ');
        String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : text.substring(space + 1).strip();
        List<String> flags = new ArrayList<>();
        while (rest.startsWith("--")) {
            int end = rest.indexOf(' ');
            flags.add(end < 0 ? rest : rest.substring(0, end));
            rest = end < 0 ? "" : rest.substring(end + 1).strip();
        }
        List<String> args;
        if (rest.startsWith("[")) {   // exec form: a JSON array of strings (no escapes used here)
            args = Arrays.stream(rest.substring(1, rest.lastIndexOf(']')).split(","))
                    .map(s -> s.strip().replaceAll("^\"|\"$", "")).filter(s -> !s.isEmpty()).toList();
        } else {
            args = Arrays.stream(rest.split("\\s+")).filter(s -> !s.isEmpty()).toList();
        }
        return new Instruction(keyword, List.copyOf(flags), args, line);
    }

    /** The stage named {@code name}. */
    Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new AssertionError(file + " has no stage named " + name));
    }

    /** The last stage: the image. */
    Stage image() {
        return stages.get(stages.size() - 1);
    }
}
