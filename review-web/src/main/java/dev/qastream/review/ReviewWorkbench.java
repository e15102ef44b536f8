package dev.qastream.review;

import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.Topics;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The review workbench: the three topics read into the store, the decisions writer, and the web server on
 * review.host:review.port under /review. Close it to stop all three.
 */
public final class ReviewWorkbench implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReviewWorkbench.class);

    private final ReviewStore store;
    private final TopicFeed feed;
    private final DecisionWriter writer;
    private final Javalin app;
    private final ReviewSettings settings;

    private ReviewWorkbench(ReviewStore store, TopicFeed feed, DecisionWriter writer, Javalin app, ReviewSettings settings) {
        this.store = store;
        this.feed = feed;
        this.writer = writer;
        this.app = app;
        this.settings = settings;
    }

    /**
     * Starts reading the topics and serving; the list fills as the topics are read.
     *
     * @throws IllegalArgumentException when review.host is not a loopback address and there is no token
     */
    public static ReviewWorkbench start(KafkaSettings kafka, Topics topics, ReviewSettings settings, EditScorer scorer) {
        return start(kafka, topics, settings, scorer, Map.of());
    }

    /** @param shared plain GET routes of another part of the process served on the same port (up's /metrics) */
    public static ReviewWorkbench start(KafkaSettings kafka, Topics topics, ReviewSettings settings, EditScorer scorer,
                                        Map<String, Supplier<PlainReply>> shared) {
        settings.requireTokenOffLoopback();
        ReviewStore store = new ReviewStore(settings.acceptThreshold());
        TopicFeed feed = null;
        DecisionWriter writer = null;
        try {
            feed = new TopicFeed(kafka, topics, store);
            writer = new DecisionWriter(kafka, topics.reviewDecisions);
            Reviews reviews = new Reviews(store, writer, scorer, settings.reviewer(), System::currentTimeMillis);
            WebRoutes routes = new WebRoutes(store, reviews, settings, feed::caughtUp, shared);
            Javalin app = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.staticFiles.add(files -> {
                    files.hostedPath = "/review/static";
                    files.directory = "/review-static";
                    files.location = Location.CLASSPATH;
                });
                routes.register(config.routes);
            });
            feed.start();
            try {
                app.start(settings.host(), settings.port());
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot serve the review workbench on " + settings.host() + ":"
                        + settings.port() + " (" + e.getMessage() + "): is `up` running there already (it serves the"
                        + " workbench), or set review.port / --port", e);
            }
            log.info("review workbench on http://{}:{}/review", settings.host(), app.port());
            return new ReviewWorkbench(store, feed, writer, app, settings);
        } catch (RuntimeException e) {
            if (feed != null) {
                feed.close();
            }
            if (writer != null) {
                writer.close();
            }
            store.close();
            throw e;
        }
    }

    public int port() {
        return app.port();
    }

    public String url() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return "http://" + host + ":" + port() + "/review";
    }

    /** Waits until what the topics held at start has been read; false on timeout. */
    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return feed.awaitCaughtUp(timeout);
    }

    /** The pairs read so far. */
    public int pairCount() {
        return store.count();
    }

    @Override
    public void close() {
        app.stop();
        feed.close();
        writer.close();
        store.close();
    }
}
