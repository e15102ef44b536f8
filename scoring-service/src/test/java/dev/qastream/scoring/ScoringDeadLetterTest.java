package dev.qastream.scoring;

import dev.qastream.runtime.Health;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.kafka.TopicSnapshot;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a real broker and registry (one platform for the class; each test looks only at its own keys): a record on the
 * scoring app's input that is not Avro at all goes to the scoring dead-letter topic with its reason, and the pair
 * after it on the same partition is still scored. Without a dead-letter handler the stream thread dies on the bad
 * record, is replaced, reads it again, and never gets past. A registry that cannot be reached is not a bad record:
 * nothing is dead-lettered, and the pair is scored once the registry answers.
 */
class ScoringDeadLetterTest {
    private static final byte[] NOT_AVRO = "{\"question\": \"not avro at all\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    private static EmbeddedPlatform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = EmbeddedPlatform.start(dir.resolve("platform"));
        ServiceContext ctx = ctx(platform.registryApiUrl(), "setup");
        TopicAdmin.ensureTopics(ctx.kafka(), ctx.topics());
        sendChunk(ctx, Fixtures.chunk());
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aRecordThatIsNotAvroIsDeadLetteredAndThePairAfterItIsScored() throws Exception {
        ServiceContext ctx = ctx(platform.registryApiUrl(), "bad-record");
        // Given raw bytes and then a good pair, on the same partition of generation.pairs
        QaPair good = Fixtures.pair(0, "What is the default value of EUtranCellFDD.ulPowerBoostEnabled?",
                "The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled).");
        sendRaw(ctx, Topics.GENERATION_PAIRS, "lte/boost.md#0#7", NOT_AVRO);
        sendPair(ctx, good);

        // When the scoring app runs
        try (ScoringService service = new ScoringService(ctx)) {
            service.start();

            // Then the good pair is scored
            awaitTrue("the pair after the bad record scored", () -> scored(ctx).containsKey(good.getPairKey()));
            // and the bad record is on the scoring dead-letter topic, as it was, with where it came from and why
            List<ConsumerRecord<byte[], byte[]>> dead = deadLetters(ctx, "lte/boost.md#0#7");
            assertThat(dead).hasSize(1);
            ConsumerRecord<byte[], byte[]> letter = dead.get(0);
            assertThat(letter.value()).isEqualTo(NOT_AVRO);
            assertThat(header(letter, "__streams.errors.topic")).isEqualTo(Topics.GENERATION_PAIRS);
            assertThat(header(letter, "__streams.errors.partition")).isEqualTo("0");
            assertThat(header(letter, "__streams.errors.message")).isNotBlank();
            // and /health names it, without calling the app degraded for it
            Health health = service.health();
            assertThat(health.status()).as(health.toString()).isEqualTo(Health.Status.UP);
            assertThat(health.reason()).contains("1 record sent to " + Topics.SCORING_DLQ,
                    "last " + Topics.GENERATION_PAIRS + "-0@" + header(letter, "__streams.errors.offset"));
        }
    }

    @Test
    void aPairTooLargeToTravelOnIsRejectedWithItsSizeAndTheStageGoesOn() throws Exception {
        ServiceContext ctx = ctx(platform.registryApiUrl(), "too-large");
        // Given a pair whose answer is 1.5 MB (it reached the topic compressed, as a producer allowed larger
        // requests may write it), and a good pair after it on the same partition
        QaPair huge = Fixtures.pair(5, "What is the default value of EUtranCellFDD.ulPowerBoostEnabled?",
                "The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled). ".repeat(20_000));
        QaPair good = Fixtures.pair(6, "What is the default value of EUtranCellFDD.ulPowerBoostEnabled?",
                "The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled).");
        Topics t = ctx.topics();
        Map<String, Object> large = new HashMap<>(ctx.kafka().producer("test-large"));
        large.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
        large.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<String, QaPair> producer = new KafkaProducer<>(large, t.pairs.keySerde().serializer(),
                t.pairs.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.GENERATION_PAIRS, 0, huge.getPairKey(), huge)).get();
        }
        sendPair(ctx, good);

        // When the scoring app runs (its own records may be 1 MB at most)
        try (ScoringService service = new ScoringService(ctx)) {
            service.start();

            // Then the pair after it is scored: the huge one does not stop the stage
            awaitTrue("the pair after the huge one scored", () -> scored(ctx).containsKey(good.getPairKey()));
            // and the huge one is rejected with its size as the reason, not dead-lettered, and its thread never failed
            ScoredPair rejected = scored(ctx).get(huge.getPairKey());
            assertThat(rejected.getAccepted()).isFalse();
            assertThat(rejected.getReasons()).anySatisfy(r -> assertThat(r).startsWith("pair too large for a record ("
                    + (huge.getQuestion().length() + huge.getAnswer().length()) + " characters"));
            assertThat(deadLetters(ctx, huge.getPairKey())).isEmpty();
            assertThat(service.health().reason()).doesNotContain("replaced");
        }
    }

    @Test
    void aRegistryThatCannotBeReachedIsRetriedNotDeadLettered() throws Exception {
        QaPair pair = Fixtures.pair(1, "What is the valid range of EUtranCellFDD.ulPowerBoostRsrpThreshold?",
                "EUtranCellFDD.ulPowerBoostRsrpThreshold takes values from -140 to -44 dBm.");
        sendPair(ctx(platform.registryApiUrl(), "producer"), pair);

        // Given the scoring app while the registry cannot be reached (nothing listens where it is configured)
        ServiceContext unreachable = ctx(unusedPortUrl(), "registry-down", Map.of("health.stall-s", "2"));
        try (ScoringService service = new ScoringService(unreachable)) {
            service.start();
            // Then its stream thread fails on the pair and is replaced, and /health tells that and the stall
            awaitTrue("a stream thread replaced", () -> service.health().reason().contains("replaced"));
            awaitTrue("the stall told", () -> service.health().status() == Health.Status.DEGRADED);
            assertThat(service.health().reason()).contains("input records waiting and no progress for");
        }
        // and the pair is neither dead-lettered nor skipped
        assertThat(deadLetters(unreachable, pair.getPairKey())).isEmpty();

        // When the registry can be reached again
        ServiceContext reachable = ctx(platform.registryApiUrl(), "registry-back");
        try (ScoringService service = new ScoringService(reachable)) {
            service.start();
            // Then the pair is scored
            awaitTrue("the pair scored once the registry answers", () -> scored(reachable).containsKey(pair.getPairKey()));
        }
        assertThat(deadLetters(reachable, pair.getPairKey())).isEmpty();
    }

    /**
     * A context on the shared platform with its own state folder. A short group session: a replaced stream thread
     * does not leave its group, and the next member waits for the session to expire (45 s by default).
     */
    static ServiceContext ctx(String registryApiUrl, String name) {
        return ctx(registryApiUrl, name, Map.of());
    }

    static ServiceContext ctx(String registryApiUrl, String name, Map<String, String> overrides) {
        Path clientProperties = dir.resolve("client.properties");
        try {
            java.nio.file.Files.writeString(clientProperties, "session.timeout.ms=6000\nheartbeat.interval.ms=1000\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, String> all = new HashMap<>();
        all.put("data-dir", dir.resolve(name).toString());
        all.put("scoring.batch.linger-ms", "50");
        all.put("kafka.client-properties", clientProperties.toString());
        all.putAll(overrides);
        Config config = Config.load(null).with(all);
        String bootstrap = platform.bootstrapServers();
        return ServiceContext.create(config, new KafkaSettings(bootstrap, config), registryApiUrl,
                new SimpleMeterRegistry());
    }

    static void sendChunk(ServiceContext ctx, Chunk chunk) throws Exception {
        Topics t = ctx.topics();
        try (KafkaProducer<String, Chunk> producer = new KafkaProducer<>(ctx.kafka().producer("test-chunks"),
                t.chunks.keySerde().serializer(), t.chunks.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.INGEST_CHUNKS, chunk.getChunkId(), chunk)).get();
        }
    }

    /** On partition 0, as the bad record: the good one comes after it. */
    static void sendPair(ServiceContext ctx, QaPair pair) throws Exception {
        Topics t = ctx.topics();
        try (KafkaProducer<String, QaPair> producer = new KafkaProducer<>(ctx.kafka().producer("test-pairs"),
                t.pairs.keySerde().serializer(), t.pairs.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.GENERATION_PAIRS, 0, pair.getPairKey(), pair)).get();
        }
    }

    static void sendRaw(ServiceContext ctx, String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ctx.kafka().rawProducer("test-raw"))) {
            producer.send(new ProducerRecord<>(topic, 0, key.getBytes(StandardCharsets.UTF_8), value)).get();
        }
    }

    /** The records on the scoring dead-letter topic with this key. */
    static List<ConsumerRecord<byte[], byte[]>> deadLetters(ServiceContext ctx, String key) {
        return TopicSnapshot.records(ctx.kafka(), ctx.topics().scoringDeadLetters).stream()
                .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key)).toList();
    }

    static String unusedPortUrl() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/apis/registry/v3";
        }
    }

    static Map<String, ScoredPair> scored(ServiceContext ctx) {
        return TopicSnapshot.latest(ctx.kafka(), ctx.topics().scored);
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(200);
        }
    }
}
