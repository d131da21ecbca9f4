package dev.lstm4j.bench.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** {@code lstm train}: the training demos; alone it runs the adding problem at T=100 with its defaults. */
@Command(name = "train", description = "Trains a model on a built-in task and reports its test error. Without "
        + "a subcommand: the adding problem at T=100.",
        subcommands = {TrainAddingCommand.class, TrainCharLmCommand.class})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return spec.commandLine().getSubcommands().get("adding").execute();
    }
}
