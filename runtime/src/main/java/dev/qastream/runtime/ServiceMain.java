package dev.qastream.runtime;

import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.http.HttpEndpoint;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * Runs one service as its own process against a Kafka cluster and registry given in the configuration
 * (kafka.bootstrap-servers, registry.url), serving /metrics and /health on http.port, until stopped.
 */
public final class ServiceMain {
    private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

    private ServiceMain() {
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
                    + "); for everything in one process use ./pipeline up");
            System.exit(2);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (HttpEndpoint http = new HttpEndpoint().start("0.0.0.0", config.integer("http.port"))) {
            KafkaSettings kafka = new KafkaSettings(endpoints.bootstrapServers(), config);
            ServiceContext ctx = ServiceContext.create(config, kafka, endpoints.registryApiUrl(), http.meters());
            TopicAdmin.ensureTopics(kafka, ctx.topics());
            Service service = factory.apply(ctx);
            http.addHealthCheck(service.name(), service::healthy);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                stopped.countDown();
            }, "shutdown"));
            service.start();
            log.info("{} running; /metrics and /health on port {}", service.name(), http.port());
            stopped.await();
        } catch (Exception e) {
            log.error("service failed", e);
            System.exit(1);
        }
    }
}
