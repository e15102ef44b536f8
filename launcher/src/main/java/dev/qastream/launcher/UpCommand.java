package dev.qastream.launcher;

import dev.qastream.launcher.report.ReportFiles;
import dev.qastream.launcher.report.ReportUpdater;
import dev.qastream.runtime.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.Callable;


/** Runs the whole pipeline and watches the inbox until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true, description = "Start the embedded stack, watch the inbox, run until Ctrl-C.")
final class UpCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--switch-inbox", description = "let the data dir switch to this inbox, removing from the dataset "
            + "the documents of its former inbox that are not in this one (config: ingest.allow-inbox-change)")
    boolean switchInbox;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        if (switchInbox) {
            config = config.with("ingest.allow-inbox-change", true);
        }
        Files.createDirectories(config.path("inbox"));
        Stack stack = Stack.start(config);
        stack.watchInbox();
        int reportSeconds = config.integer("report.interval-s");
        if (reportSeconds > 0) {
            stack.attach(new ReportUpdater(stack.context(), config.path("out"), Duration.ofSeconds(reportSeconds)));
        }
        ProgressReporter.start(stack, 10_000);
        System.out.printf("up in %.1f s. Drop documents into %s; the dataset is %s%n",
                stack.startupMs() / 1000.0, config.path("inbox").toAbsolutePath(),
                config.path("out").resolve("dataset.jsonl").toAbsolutePath());
        if (reportSeconds > 0) {
            System.out.printf("quality report: %s (rewritten every %d s while something changes)%n",
                    config.path("out").resolve(ReportFiles.HTML_FILE).toAbsolutePath(), reportSeconds);
        }
        System.out.printf("metrics: http://127.0.0.1:%d/metrics  health: http://127.0.0.1:%d/health  (Ctrl-C stops)%n",
                stack.http().port(), stack.http().port());
        stack.awaitClosed();
        return 0;
    }
}
