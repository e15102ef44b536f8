package dev.qastream.launcher;

import dev.qastream.generation.GenerationService;
import dev.qastream.ingest.IngestService;
import dev.qastream.runtime.Service;
import dev.qastream.runtime.Endpoints;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.http.HttpEndpoint;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import dev.qastream.scoring.ScoringService;
import dev.qastream.scoring.coverage.CoverageService;
import dev.qastream.scoring.judge.JudgeService;
import dev.qastream.sink.SinkService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The whole pipeline in one process: the embedded platform (a KRaft broker and the schema registry)
 * unless a cluster is configured, the topics, the four services (and the judge stage of scoring) and the
 * metrics/health endpoint.
 */
public final class Stack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Stack.class);

    private final Config config;
    private EmbeddedPlatform platform;
    private HttpEndpoint http;
    private ServiceContext ctx;
    private IngestService ingest;
    private SinkService sink;
    private GenerationService generation;
    private final List<Service> services = new ArrayList<>();
    /** Run first when the stack closes: what still talks to the broker (progress lines) stops before it goes. */
    private final List<Runnable> beforeClose = new ArrayList<>();
    private long startupMs;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread shutdownHook = new Thread(this::close, "qastream-stop");

    private Stack(Config config) {
        this.config = config;
    }

    /** Starts everything but the inbox watcher; {@link #watchInbox()} starts that. */
    public static Stack start(Config config) {
        Stack stack = new Stack(config);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException | IOException e) {
            stack.close();
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
        }
    }

    private void startAll() throws IOException {
        long t0 = System.nanoTime();
        // Ctrl-C stops the services first, then the platform under them.
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Endpoints endpoints = Endpoints.ofCluster(config);
        if (endpoints == null) {
            platform = EmbeddedPlatform.start(config.path("data-dir"));
            platform.handOverShutdownHook();
            endpoints = new Endpoints(platform.bootstrapServers(), platform.registryApiUrl());
            endpoints.write(config.path("data-dir"));
        }
        http = new HttpEndpoint();
        startHttp();
        ctx = ServiceContext.create(config, new KafkaSettings(endpoints.bootstrapServers(), config),
                endpoints.registryApiUrl(), http.meters());
        TopicAdmin.ensureTopics(ctx.kafka(), ctx.topics());

        // Downstream first, so every stage is listening before work arrives.
        sink = new SinkService(ctx);
        ingest = new IngestService(ctx);
        services.add(sink);
        services.add(new ScoringService(ctx));
        services.add(new JudgeService(ctx)); // scoring's model calls, off its stream threads (idle without a judge)
        services.add(new CoverageService(ctx)); // facts covered per document; follow-ups for the gaps
        generation = new GenerationService(ctx);
        services.add(generation);
        for (Service s : services) {
            s.start();
            http.addHealth(s.name(), s::health);
        }
        if (platform != null) {
            // What this stack's workers generate with, so a replay beside it can tell a stale configuration.
            GenerationSettings.write(config.path("data-dir"), generation.generators());
        }
        ingest.open();
        http.addHealth(ingest.name(), ingest::health);
        http.addHealthDetail("model", generation::modelHealth);
        services.add(ingest);
        startupMs = (System.nanoTime() - t0) / 1_000_000;
        log.info("stack started in {} ms; metrics and health on http://{}:{}/", startupMs, config.string("http.host"), http.port());
    }

    private void startHttp() throws IOException {
        int port = config.integer("http.port");
        String host = config.string("http.host");
        try {
            http.start(host, port);
        } catch (BindException e) {
            log.warn("port {} is taken; serving /metrics and /health on a free port instead", port);
            http.start(host, 0);
        }
    }

    /** Starts one more part of this process (e.g. the report updater); it is stopped before the platform. */
    public synchronized void beforeClose(Runnable stop) {
        beforeClose.add(stop);
    }

    public void attach(Service service) {
        service.start();
        http.addHealth(service.name(), service::health);
        services.add(service);
    }

    public void watchInbox() {
        ingest.start();
    }

    public IngestService ingest() {
        return ingest;
    }

    public SinkService sink() {
        return sink;
    }

    /** The generation service (its recent empty chunks, for the batch summary). */
    public GenerationService generation() {
        return generation;
    }

    public ServiceContext context() {
        return ctx;
    }

    public List<Service> services() {
        return services;
    }

    public HttpEndpoint http() {
        return http;
    }

    public long startupMs() {
        return startupMs;
    }

    /** Blocks until {@link #close()} has finished, e.g. from the shutdown hook after Ctrl-C. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // we are the hook
        }
        long start = System.nanoTime();
        beforeClose.forEach(Runnable::run);
        StringBuilder took = new StringBuilder();
        for (int i = services.size() - 1; i >= 0; i--) {
            long t = System.nanoTime();
            try {
                services.get(i).close();
            } catch (RuntimeException e) {
                log.warn("closing {}: {}", services.get(i).name(), e.getMessage());
            }
            took.append(' ').append(services.get(i).name()).append(' ').append((System.nanoTime() - t) / 1_000_000).append(" ms");
        }
        services.clear();
        if (http != null) {
            http.close();
        }
        if (platform != null) {
            long t = System.nanoTime();
            Endpoints.remove(config.path("data-dir"));
            GenerationSettings.remove(config.path("data-dir"));
            platform.close();
            took.append(" platform ").append((System.nanoTime() - t) / 1_000_000).append(" ms");
        }
        log.info("stack stopped in {} ms:{}", (System.nanoTime() - start) / 1_000_000, took);
        closed.countDown();
    }
}
