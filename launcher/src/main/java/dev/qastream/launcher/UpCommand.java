package dev.qastream.launcher;

import dev.qastream.launcher.report.ReportFiles;
import dev.qastream.launcher.report.ReportUpdater;
import dev.qastream.review.PlainReply;
import dev.qastream.review.ReviewSettings;
import dev.qastream.review.ReviewWorkbench;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.http.HttpEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.Callable;


/** Runs the whole pipeline and watches the inbox until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true, description = "Start the embedded stack, watch the inbox, serve the review workbench (http://127.0.0.1:9400/review), run until Ctrl-C.")
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
        ReviewSettings review = ReviewSettings.from(config, System.getenv(ReviewSettings.TOKEN_ENV));
        review.requireTokenOffLoopback(); // refused before anything starts
        // review.port defaults to http.port: then the workbench's server answers /metrics and /health too.
        boolean sharedPort = review.port() != 0 && review.port() == config.integer("http.port")
                && review.host().equals(config.string("http.host"));
        Stack stack = Stack.start(sharedPort ? config.with("http.port", 0) : config);
        ReviewWorkbench workbench = startWorkbench(stack, config, review, sharedPort);
        stack.watchInbox();
        int reportSeconds = config.integer("report.interval-s");
        if (reportSeconds > 0) {
            stack.attach(new ReportUpdater(stack.context(), config.path("out"), Duration.ofSeconds(reportSeconds)));
        }
        ProgressReporter.start(stack, 10_000);
        System.out.printf("up in %.1f s. Drop documents into %s; the dataset is %s%n",
                stack.startupMs() / 1000.0, config.path("inbox").toAbsolutePath().normalize(),
                config.path("out").resolve("dataset.jsonl").toAbsolutePath().normalize());
        if (reportSeconds > 0) {
            System.out.printf("quality report: %s (rewritten every %d s while something changes)%n",
                    config.path("out").resolve(ReportFiles.HTML_FILE).toAbsolutePath().normalize(), reportSeconds);
        }
        int metricsPort = sharedPort ? workbench.port() : stack.http().port();
        System.out.printf("review: %s%n", workbench.url());
        String host = config.string("http.host");
        System.out.printf("metrics: http://%s:%d/metrics  health: http://%s:%d/health  (Ctrl-C stops)%n",
                host, metricsPort, host, metricsPort);
        stack.awaitClosed();
        return 0;
    }

    private static ReviewWorkbench startWorkbench(Stack stack, Config config, ReviewSettings review, boolean sharedPort) {
        var ctx = stack.context();
        Map<String, Supplier<PlainReply>> shared = !sharedPort ? Map.of() : Map.of(
                "/metrics", () -> new PlainReply(200, "text/plain; version=0.0.4", stack.http().scrape()),
                "/health", () -> {
                    HttpEndpoint.Report r = stack.http().healthReport();
                    return new PlainReply(r.status(), "text/plain", r.body());
                });
        ReviewWorkbench workbench;
        try {
            workbench = ReviewWorkbench.start(ctx.kafka(), ctx.topics(), review, new ReviewEditScorer(config), shared);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        stack.beforeClose(workbench::close);
        return workbench;
    }
}
