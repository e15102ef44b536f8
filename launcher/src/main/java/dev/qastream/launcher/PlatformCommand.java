package dev.qastream.launcher;

import dev.qastream.runtime.Endpoints;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The embedded broker and registry alone, for services started as separate processes. */
@Command(name = "platform", mixinStandardHelpOptions = true,
        description = {"Start only the embedded Kafka broker and schema registry (with the topics), record their "
                + "endpoints in the data directory and run until Ctrl-C.",
                "Then start each stage in its own process: ./pipeline service ingest|generation|scoring|sink "
                        + "(same --data-dir)."})
final class PlatformCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        if (Endpoints.ofCluster(config) != null) {
            System.err.println("error: a cluster is configured (kafka.bootstrap-servers, registry.url); there is "
                    + "nothing to start: run ./pipeline topics create, then ./pipeline service NAME against it");
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedPlatform platform = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(platform, config);
            stopped.countDown();
        }, "platform-stop"));
        System.out.printf("platform up: kafka %s  registry %s  (data %s; Ctrl-C stops)%n",
                platform.bootstrapServers(), platform.registryApiUrl(), platform.dataDir());
        System.out.printf("services: ./pipeline service ingest|generation|scoring|sink --data-dir %s%n",
                config.path("data-dir"));
        stopped.await();
        return 0;
    }

    /** Starts the platform on the configured data directory, creates the topics and records the endpoints. */
    static EmbeddedPlatform start(Config config) throws java.io.IOException {
        EmbeddedPlatform platform = EmbeddedPlatform.start(config.path("data-dir"));
        try {
            platform.handOverShutdownHook();
            Endpoints endpoints = new Endpoints(platform.bootstrapServers(), platform.registryApiUrl());
            KafkaSettings kafka = new KafkaSettings(endpoints.bootstrapServers(), config);
            TopicAdmin.ensureTopics(kafka, ServiceContext.create(config, kafka, endpoints.registryApiUrl(),
                    new SimpleMeterRegistry()).topics());
            endpoints.write(config.path("data-dir"));
            return platform;
        } catch (RuntimeException | java.io.IOException e) {
            platform.close();
            throw e;
        }
    }

    static void stop(EmbeddedPlatform platform, Config config) {
        Endpoints.remove(config.path("data-dir"));
        platform.close();
    }
}
