package dev.qastream.launcher;

import dev.qastream.runtime.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Files;
import java.util.concurrent.Callable;


/** Runs the whole pipeline and watches the inbox until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true, description = "Start the embedded stack, watch the inbox, run until Ctrl-C.")
final class UpCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        Files.createDirectories(config.path("inbox"));
        Stack stack = Stack.start(config);
        stack.watchInbox();
        ProgressReporter.start(stack, 10_000);
        System.out.printf("up in %.1f s. Drop documents into %s; the dataset is %s%n",
                stack.startupMs() / 1000.0, config.path("inbox").toAbsolutePath(),
                config.path("out").resolve("dataset.jsonl").toAbsolutePath());
        System.out.printf("metrics: http://127.0.0.1:%d/metrics  health: http://127.0.0.1:%d/health  (Ctrl-C stops)%n",
                stack.http().port(), stack.http().port());
        stack.awaitClosed();
        return 0;
    }
}
