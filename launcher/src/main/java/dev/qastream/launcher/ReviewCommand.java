package dev.qastream.launcher;

import dev.qastream.review.ReviewSettings;
import dev.qastream.review.ReviewWorkbench;
import dev.qastream.runtime.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Serves the review workbench beside a finished batch's data (or a running up, or a cluster) until Ctrl-C. */
@Command(name = "review", mixinStandardHelpOptions = true,
        description = {"Serve the review workbench at http://127.0.0.1:9400/review (review.host, review.port) on the"
                + " data a finished `batch` left in --data-dir, beside a running `up`, or on a configured cluster.",
                "Read each pair beside its source chunk; accept (a), reject (r), edit (e), undo (u), move with j/k."
                + " Decisions go to the review.decisions topic; the sink applies them to the dataset.",
                "On an address other than loopback it requires the token in QASTREAM_REVIEW_TOKEN"
                + " (open /review?token=...)."})
final class ReviewCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--port", description = "port to serve on (config: review.port, default 9400; 0: a free one)")
    Integer port;

    @Option(names = "--host", description = "address to serve on (config: review.host, default 127.0.0.1)")
    String host;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        if (port != null) {
            config = config.with("review.port", port);
        }
        if (host != null) {
            config = config.with("review.host", host);
        }
        ReviewSettings settings = ReviewSettings.from(config, System.getenv(ReviewSettings.TOKEN_ENV));
        settings.requireTokenOffLoopback(); // before the platform starts: refusing costs nothing
        CountDownLatch stop = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                main.join(10_000);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
        }, "qastream-review-stop");
        try (ClusterSession session = ClusterSession.open(config, ClusterSession.Need.BROKER);
             ReviewWorkbench workbench = ReviewWorkbench.start(session.context().kafka(), session.context().topics(),
                     settings, new ReviewEditScorer(config))) {
            Runtime.getRuntime().addShutdownHook(hook);
            System.out.printf("review workbench: %s  (Ctrl-C stops)%n", workbench.url());
            if (workbench.awaitLoaded(Duration.ofMinutes(2))) {
                System.out.printf("read %,d pairs%n", workbench.pairCount());
            }
            stop.await();
        }
        return 0;
    }
}
