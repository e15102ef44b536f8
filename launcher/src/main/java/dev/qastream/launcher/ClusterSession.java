package dev.qastream.launcher;

import dev.qastream.runtime.Endpoints;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The cluster a maintenance command (export, replay, rescore) works on: a configured cluster, else the
 * embedded stack that `up` runs on the same data dir (through the endpoints it records), else the embedded
 * platform started here on that data dir for as long as the command needs it: the broker and registry
 * alone, or the full stack when the pipeline must process what the command sends.
 */
final class ClusterSession implements AutoCloseable {
    enum Need { BROKER, FULL_STACK }

    private final ServiceContext ctx;
    private final EmbeddedPlatform platform;
    private final Stack stack;

    private ClusterSession(ServiceContext ctx, EmbeddedPlatform platform, Stack stack) {
        this.ctx = ctx;
        this.platform = platform;
        this.stack = stack;
    }

    static ClusterSession open(Config config, Need need) {
        Endpoints running = runningEndpoints(config);
        if (running != null) {
            return new ClusterSession(context(config, running), null, null);
        }
        Path dataDir = config.path("data-dir");
        requireData(dataDir);
        if (need == Need.FULL_STACK) {
            Stack stack = Stack.start(config);
            return new ClusterSession(stack.context(), null, stack);
        }
        EmbeddedPlatform platform = EmbeddedPlatform.start(dataDir);
        try {
            return new ClusterSession(context(config, new Endpoints(platform.bootstrapServers(), platform.registryApiUrl())),
                    platform, null);
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    /** A configured cluster, or the embedded stack of a running `up` on this data dir; null when neither. */
    private static Endpoints runningEndpoints(Config config) {
        Endpoints cluster = Endpoints.ofCluster(config);
        if (cluster != null) {
            return cluster;
        }
        if (!Files.isRegularFile(config.path("data-dir").resolve(Endpoints.FILE))) {
            return null;
        }
        Endpoints recorded = Endpoints.resolve(config);
        // The file outlives a process that was killed: believe it only if the broker answers.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, recorded.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            admin.describeCluster().clusterId().get(4, TimeUnit.SECONDS);
            return recorded;
        } catch (Exception stale) {
            return null;
        }
    }

    private static void requireData(Path dataDir) {
        Path kafka = dataDir.resolve("kafka");
        boolean empty;
        try (Stream<Path> entries = Files.isDirectory(kafka) ? Files.list(kafka) : Stream.empty()) {
            empty = entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (empty) {
            throw new IllegalArgumentException("no pipeline data under " + dataDir.toAbsolutePath()
                    + ": run ./pipeline batch or ./pipeline up with this --data-dir first, or set kafka.bootstrap-servers"
                    + " and registry.url for a cluster");
        }
    }

    private static ServiceContext context(Config config, Endpoints endpoints) {
        return ServiceContext.create(config, new KafkaSettings(endpoints.bootstrapServers(), config),
                endpoints.registryApiUrl(), new SimpleMeterRegistry());
    }

    ServiceContext context() {
        return ctx;
    }

    /** The stack this command started, or null when it works beside a running one (or a cluster). */
    Stack startedStack() {
        return stack;
    }

    /** Whether the pipeline's services run elsewhere (a running `up` or a cluster's services). */
    boolean besideRunningPipeline() {
        return stack == null && platform == null;
    }

    @Override
    public void close() {
        if (stack != null) {
            stack.close();
        }
        if (platform != null) {
            platform.close();
        }
    }
}
