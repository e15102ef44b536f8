package dev.qastream.runtime.kafka;

import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.streams.DeadLetteringDeserializationHandler;
import dev.qastream.runtime.streams.DeadLetteringProcessingHandler;
import dev.qastream.runtime.streams.SerializationFailureHandler;
import dev.qastream.runtime.streams.StreamsHealth;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Client properties for every producer, consumer and Streams app, built one way.
 * Exactly-once everywhere: Streams apps use exactly_once_v2, producers that
 * write with consumed offsets are transactional, consumers read committed.
 */
public final class KafkaSettings {
    /**
     * Where a Streams app's settings carry these settings themselves (not a Kafka setting), so that the service
     * running the app can read its consumer group's lag for /health.
     */
    public static final String SETTINGS_CONFIG = "qastream.kafka.settings";

    private final String bootstrapServers;
    private final int replicationFactor;
    private final int partitions;
    private final Path dataDir;
    private final Path stateDir;
    private final String compression;
    private final long deleteRetentionMs;
    private final long stallMs;
    private final Map<String, Object> clientProperties;

    public KafkaSettings(String bootstrapServers, Config config) {
        this.bootstrapServers = bootstrapServers;
        this.replicationFactor = config.integer("kafka.replication-factor");
        this.partitions = config.integer("kafka.partitions");
        this.dataDir = config.path("data-dir");
        this.stateDir = dataDir.resolve("streams");
        this.compression = config.string("kafka.compression");
        this.deleteRetentionMs = config.integer("kafka.delete-retention-hours") * 3_600_000L;
        this.stallMs = config.integer("health.stall-s") * 1_000L;
        this.clientProperties = clientProperties(config.string("kafka.client-properties"));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** This process's data-dir: its stream state, local scratch state and the record of topic ids seen live under it. */
    public Path dataDir() {
        return dataDir;
    }

    public int replicationFactor() {
        return replicationFactor;
    }

    public int partitions() {
        return partitions;
    }


    /**
     * min.insync.replicas for the pipeline's topics: RF - 1 on a cluster of three or more replicas (one broker may
     * be down and writes with acks=all still succeed, yet no write rests on a single copy); 1 below that.
     */
    public int minInsyncReplicas() {
        return replicationFactor >= 3 ? replicationFactor - 1 : 1;
    }

    /** How long compacted topics keep a tombstone after compaction reaches it (delete.retention.ms). */
    public long deleteRetentionMs() {
        return deleteRetentionMs;
    }

    /**
     * Security and other client settings of a real cluster (SASL, SSL, ...), from a Java properties file,
     * given to every admin, producer, consumer and Streams client as they are.
     */
    private static Map<String, Object> clientProperties(String file) {
        Map<String, Object> props = new HashMap<>();
        if (file == null || file.isBlank()) {
            return props;
        }
        Properties loaded = new Properties();
        try (java.io.Reader r = java.nio.file.Files.newBufferedReader(Path.of(file))) {
            loaded.load(r);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read kafka.client-properties file " + file + ": " + e.getMessage(), e);
        }
        loaded.stringPropertyNames().forEach(k -> props.put(k, loaded.getProperty(k)));
        return props;
    }

    public Map<String, Object> admin() {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /** Serializers are passed explicitly by the caller (typed by {@link Topic}). */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> p = admin();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        return p;
    }

    public Map<String, Object> transactionalProducer(String transactionalId) {
        Map<String, Object> p = producer(transactionalId);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        // One request in flight: the first produce of a transaction can meet CONCURRENT_TRANSACTIONS while the
        // previous commit's markers are written; with more in flight, its successors then fail out of order
        // and are retried noisily (transactions v2). Batching (linger, batch size) keeps throughput.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return p;
    }

    public Map<String, Object> consumer(String groupId) {
        Map<String, Object> p = admin();
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    public Map<String, Object> rawConsumer(String groupId) {
        Map<String, Object> p = consumer(groupId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    public Map<String, Object> rawProducer(String clientId) {
        Map<String, Object> p = producer(clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    /**
     * A Streams app's settings. A record it cannot read or process goes to {@code deadLetterTopic} (one per app,
     * declared in {@link Topics}) with the reason in its headers, and the app goes on; a transient failure (the
     * registry unreachable) is retried instead (see the handlers in {@code dev.qastream.runtime.streams}).
     */
    public Map<String, Object> streams(String applicationId, String deadLetterTopic) {
        Map<String, Object> p = new HashMap<>(clientProperties);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        p.put(StreamsConfig.topicPrefix(org.apache.kafka.common.config.TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                String.valueOf(minInsyncReplicas()));
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        // Small commit interval: pairs show up for tailing within a fraction of a second.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Tables built from compacted topics restore from those topics, not from a second changelog copy.
        p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
        // Same failure handling for global tables as for the stream threads (and no warning about it).
        p.put("processing.exception.handler.global.enabled", true);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), compression);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringDeserializationHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringProcessingHandler.class);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, SerializationFailureHandler.class);
        p.put(StreamsHealth.STALL_MS_CONFIG, stallMs);
        p.put(SETTINGS_CONFIG, this);
        deadMemberTimeouts(p);
        return p;
    }

    /**
     * A stage that dies without leaving (SIGKILL, a lost machine) keeps its partitions until its session times out,
     * and a restarted instance joins as a new member that waits for that too: at Kafka's default of 45 s every crash
     * stalls the stage's partitions that long (seen on a three-broker cluster). 10 s, with a heartbeat every 3 s, is
     * the generation workers' figure; a value in the client properties wins.
     */
    private void deadMemberTimeouts(Map<String, Object> p) {
        String session = ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG;
        String heartbeat = ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG;
        if (!clientProperties.containsKey(session) && !clientProperties.containsKey(StreamsConfig.consumerPrefix(session))) {
            p.put(StreamsConfig.consumerPrefix(session), 10_000);
        }
        if (!clientProperties.containsKey(heartbeat) && !clientProperties.containsKey(StreamsConfig.consumerPrefix(heartbeat))) {
            p.put(StreamsConfig.consumerPrefix(heartbeat), 3_000);
        }
    }

    /**
     * Settings of a Streams app whose transactions hold work that other load on the machine can stretch (e.g.
     * embedding batches): its producer's transactions may last {@code transactionTimeout} instead of Streams'
     * exactly-once default of 10 s. The timeout only matters when an instance stops without coming back: a restart
     * on the same state folder fences its open transaction at once; otherwise readers of its output wait until the
     * broker aborts it. A transaction timeout in the client properties wins.
     */
    public Map<String, Object> streams(String applicationId, String deadLetterTopic, Duration transactionTimeout) {
        Map<String, Object> p = streams(applicationId, deadLetterTopic);
        String timeout = ProducerConfig.TRANSACTION_TIMEOUT_CONFIG;
        if (!clientProperties.containsKey(timeout) && !clientProperties.containsKey(StreamsConfig.producerPrefix(timeout))) {
            p.put(StreamsConfig.producerPrefix(timeout), (int) transactionTimeout.toMillis());
        }
        return p;
    }
}
