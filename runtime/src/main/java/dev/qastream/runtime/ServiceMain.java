package dev.qastream.runtime;

import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.http.HttpEndpoint;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * Runs one service as its own process: against a Kafka cluster and registry given in the configuration
 * (kafka.bootstrap-servers, registry.url) from a service's own main, or against any endpoints through
 * {@link #start}, which `./pipeline service` uses for the embedded platform too. Serves /metrics and
 * /health on http.port (a taken port or 0: a free one, logged) until stopped.
 */
public final class ServiceMain {
    private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

    private ServiceMain() {
    }

    /** A started service with its metrics/health endpoint; closing stops both. */
    public record Running(Service service, HttpEndpoint http) implements AutoCloseable {
        @Override
        public void close() {
            try {
                service.close();
            } finally {
                http.close();
            }
        }
    }

    public static void run(String[] args, Function<ServiceContext, Service> factory) {
        Logging.init();
        String file = args.length > 0 ? args[0] : System.getenv("QASTREAM_CONFIG");
        Config config = Config.load(file == null ? null : Path.of(file));
        Endpoints endpoints;
        try {
            endpoints = Endpoints.ofCluster(config);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (endpoints == null) {
            System.err.println("error: a service run on its own needs kafka.bootstrap-servers and registry.url "
                    + "(env " + Config.envName("kafka.bootstrap-servers") + ", " + Config.envName("registry.url")
                    + "); for everything in one process use ./pipeline up, for one service against the embedded "
                    + "platform ./pipeline platform and ./pipeline service NAME");
            System.exit(2);
        }
        try {
            // /metrics and /health on http.host: loopback unless configured (containers set 0.0.0.0).
            runUntilStopped(config, endpoints, config.string("http.host"), factory);
        } catch (Exception e) {
            log.error("service failed", e);
            System.exit(1);
        }
    }

    /** Starts the service and blocks until the process is asked to stop (Ctrl-C, SIGTERM), then stops it. */
    public static void runUntilStopped(Config config, Endpoints endpoints, String host,
                                       Function<ServiceContext, Service> factory) throws IOException, InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Running running = start(config, config, endpoints, host, factory);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    /**
     * Creates missing topics, then starts the service and its endpoint.
     *
     * @param kafkaConfig the configuration whose data-dir holds this process's stream state (a process of its
     *                    own needs a folder of its own: Kafka Streams locks state only within one process)
     */
    public static Running start(Config config, Config kafkaConfig, Endpoints endpoints, String host,
                                Function<ServiceContext, Service> factory) throws IOException {
        HttpEndpoint http = startHttp(host, config.integer("http.port"));
        try {
            KafkaSettings kafka = new KafkaSettings(endpoints.bootstrapServers(), kafkaConfig);
            ServiceContext ctx = ServiceContext.create(config, kafka, endpoints.registryApiUrl(), http.meters());
            TopicAdmin.ensureTopics(kafka, ctx.topics());
            Service service = factory.apply(ctx);
            http.addHealth(service.name(), service::health);
            service.start();
            log.info("{} running; /metrics and /health on http://{}:{}/", service.name(), host, http.port());
            return new Running(service, http);
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
    }

    private static HttpEndpoint startHttp(String host, int port) throws IOException {
        try {
            return new HttpEndpoint().start(host, port);
        } catch (BindException e) {
            log.warn("port {} is taken; serving /metrics and /health on a free port instead", port);
            return new HttpEndpoint().start(host, 0);
        }
    }
}
