package dev.qastream.launcher;

import dev.qastream.runtime.Logging;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the ./pipeline command. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, version = "qastream 0.1.0",
        description = "Turns technical documents into scored question/answer datasets, on Kafka.",
        subcommands = {UpCommand.class, BatchCommand.class, TailCommand.class, ScoreCommand.class, BenchCommand.class,
                StatusCommand.class, DoctorCommand.class, TopicsCommand.class, PlatformCommand.class,
                ServiceCommand.class, SimulateLlmCommand.class, ExportCommand.class,
                ReplayCommand.class, RescoreCommand.class, ReviewCommand.class, CoverageCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        Logging.init();
        return commandLine().execute(args);
    }

    /** The whole command tree; tests walk it to check every command answers --help. */
    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    return 2;
                });
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
