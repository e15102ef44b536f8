package dev.qastream.runtime.platform;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real Kafka broker running in this JVM, in KRaft combined mode (one node is both broker and
 * controller). Its log directory survives a restart: storage is formatted only once.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /** Ports (0 = pick a free one at start) and the default partition count of new topics. */
    public record Settings(int brokerPort, int controllerPort, int numPartitions) {
        public static Settings defaults() {
            return new Settings(0, 0, 3);
        }
    }

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path logDir;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path logDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
    }

    public static EmbeddedKafka start(Path logDir) {
        return start(logDir, Settings.defaults());
    }

    /** Formats {@code logDir} if it is new, starts the node and returns once it answers an Admin client. */
    public static EmbeddedKafka start(Path logDir, Settings settings) {
        long t0 = System.nanoTime();
        int brokerPort = settings.brokerPort() > 0 ? settings.brokerPort() : Ports.free();
        int controllerPort = settings.controllerPort() > 0 ? settings.controllerPort() : Ports.free();
        Path dir = logDir.toAbsolutePath();
        KafkaConfig config = KafkaConfig.fromProps(
                brokerProperties(dir, brokerPort, controllerPort, settings.numPartitions()), false);
        formatIfNeeded(config, dir);

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        String bootstrap = "127.0.0.1:" + brokerPort;
        EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, dir);
        try {
            server.startup();
            awaitReady(bootstrap);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        log.info("Kafka started at {} (data {}) in {} ms", bootstrap, dir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return kafka;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Kafka shutdown reported an error", e);
        }
        log.info("Kafka at {} stopped", bootstrapServers);
    }

    static Properties brokerProperties(Path dir, int brokerPort, int controllerPort, int numPartitions) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // A static voter set (kraft.version 0): the controller's port may then change between restarts,
        // which a dynamic quorum (whose endpoint is written into the log at format time) would not allow.
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.toString());
        p.put("num.partitions", String.valueOf(numPartitions));
        p.put("auto.create.topics.enable", "false");
        // One broker: every internal topic must live with a single replica.
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Fewer internal partitions than the production 50: each costs a coordinator load at start.
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");
        // Nobody else will join: do not hold the first rebalance back.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Consumer-protocol groups (the generation workers): a member that died without leaving (SIGKILL) gives
        // its partitions up after 10 s, not the broker default of 45 s; one machine has no network partitions
        // to ride out.
        p.put("group.consumer.min.session.timeout.ms", "6000");
        p.put("group.consumer.session.timeout.ms", "10000");
        p.put("group.consumer.min.heartbeat.interval.ms", "1000");
        p.put("group.consumer.heartbeat.interval.ms", "2000");
        // Compacted topics (tables, checkpoints) need the cleaner; its 128 MiB default buffer is sized for
        // servers, far more than an embedded node sharing the heap with the application needs.
        p.put("log.cleaner.enable", "true");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        return p;
    }

    /** Same steps as {@code kafka-storage.sh format}, skipped when the directory already has meta.properties. */
    private static void formatIfNeeded(KafkaConfig config, Path dir) {
        if (Files.exists(dir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(dir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .addDirectory(dir.toString())
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka data directory " + dir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + dir, e);
        }
    }

    /** startup() returns before the broker has registered with the controller; wait until it serves metadata. */
    private static void awaitReady(String bootstrap) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(conf)) {
            Exception last = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for Kafka", e);
                } catch (Exception e) {
                    last = e;
                }
                sleep(100);
            }
            throw new IllegalStateException("Kafka at " + bootstrap + " did not answer within " + READY_TIMEOUT, last);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
