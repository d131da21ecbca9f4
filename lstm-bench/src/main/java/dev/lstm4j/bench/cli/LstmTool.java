package dev.lstm4j.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;

/**
 * The {@code lstm} command: {@code info}, {@code bench}, {@code run}, {@code train}.
 *
 * <p>Exit codes: 0 success, 1 the command failed (bad file, unavailable backend, ...), 2 usage error. A
 * failure prints one line to stderr; {@code --debug} adds the stack trace.
 */
@Command(name = "lstm", mixinStandardHelpOptions = true, versionProvider = LstmTool.Version.class,
        description = "Fast LSTM training and inference for the JVM: backends, benchmarks, model runs.",
        subcommands = {InfoCommand.class, BenchCommand.class, RunCommand.class, TrainCommand.class,
                CommandLine.HelpCommand.class})
public final class LstmTool implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print the stack trace of a failure after its one-line message.")
    boolean debug;

    /** {@code lstm} alone is a usage error: it needs a subcommand. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: info, bench, run or train");
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the tool with the given streams; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        LstmTool tool = new LstmTool();
        CommandLine cli = new CommandLine(tool);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("lstm: " + ToolFailure.describe(e));
            if (tool.debug) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return 1;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The version from the jar's manifest (set by the build), or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lstm4j " + dev.lstm4j.bench.Provenance.version()};
        }
    }
}
