package dev.qastream.launcher;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command, including ones added later, answers --help with its usage and exit code 0. */
class HelpTest {

    @Test
    void everyCommandAnswersHelp() {
        // Given every command of the tree, walked recursively
        List<List<String>> paths = new ArrayList<>();
        walk(Main.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).extracting(p -> String.join(" ", p))
                .contains("up", "batch", "tail", "bench", "bench ingest", "status", "doctor", "topics", "topics create",
                        "platform", "service", "review");

        for (List<String> path : paths) {
            // When it is asked for --help
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            StringWriter out = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(out));
            int exit = cli.execute(args.toArray(String[]::new));

            // Then it prints its usage and exits 0
            assertThat(exit).as("exit code of %s --help", path).isZero();
            assertThat(out.toString()).as("usage of %s", path)
                    .contains("Usage:").contains(path.get(path.size() - 1)).contains("--help");
        }
    }

    @Test
    void versionIsPrinted() {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--version")).isZero();
        assertThat(out.toString()).startsWith("qastream ");
    }

    private static void walk(CommandLine cmd, List<String> path, List<List<String>> into) {
        cmd.getSubcommands().forEach((name, sub) -> {
            // the help command takes a command name, not --help; aliases are walked once under their main name
            if (sub.getCommand() instanceof CommandLine.HelpCommand || !name.equals(sub.getCommandName())) {
                return;
            }
            List<String> p = new ArrayList<>(path);
            p.add(name);
            into.add(p);
            walk(sub, p, into);
        });
    }
}
