package dev.qastream.sink;

import dev.qastream.runtime.Health;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.kafka.TopicSnapshot;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import dev.qastream.schemas.ScoredPair;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a real broker and registry: a record on scoring.scored that is not Avro goes to the sink's dead-letter topic
 * with its reason, and the accepted pair after it on the same partition still reaches the dataset. Without a
 * dead-letter handler the sink's stream thread dies on the bad record, again and again, and nothing after it
 * reaches the dataset.
 */
class SinkDeadLetterTest {
    private static final byte[] NOT_AVRO = "not avro".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void aRecordThatIsNotAvroIsDeadLetteredAndThePairAfterItReachesTheDataset() throws Exception {
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(dir.resolve("platform"))) {
            Config config = Config.load(null).with(Map.of("data-dir", dir.resolve("data").toString(),
                    "out", dir.resolve("out").toString()));
            ServiceContext ctx = ServiceContext.create(config, new KafkaSettings(platform.bootstrapServers(), config),
                    platform.registryApiUrl(), new SimpleMeterRegistry());
            TopicAdmin.ensureTopics(ctx.kafka(), ctx.topics());
            // Given raw bytes and then an accepted pair, on the same partition of scoring.scored
            ScoredPair accepted = SinkTopologyTest.scored("a.md#0#1", true, 0.9, 1, false);
            try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(ctx.kafka().rawProducer("test-raw"));
                 KafkaProducer<String, ScoredPair> scored = new KafkaProducer<>(ctx.kafka().producer("test-scored"),
                         ctx.topics().scored.keySerde().serializer(), ctx.topics().scored.valueSerde().serializer())) {
                raw.send(new ProducerRecord<>(Topics.SCORING_SCORED, 0, "a.md#0#0".getBytes(StandardCharsets.UTF_8),
                        NOT_AVRO)).get();
                scored.send(new ProducerRecord<>(Topics.SCORING_SCORED, 0, "a.md#0#1", accepted)).get();
            }

            // When the sink runs
            try (SinkService sink = new SinkService(ctx)) {
                sink.start();

                // Then the accepted pair reaches the dataset
                awaitTrue("the pair after the bad record in the dataset",
                        () -> TopicSnapshot.latest(ctx.kafka(), ctx.topics().dataset).containsKey("a.md#0#1"));
                // and the bad record is on the sink's dead-letter topic, as it was, with where it came from and why
                List<ConsumerRecord<byte[], byte[]>> dead = TopicSnapshot.records(ctx.kafka(), ctx.topics().sinkDeadLetters);
                assertThat(dead).hasSize(1);
                assertThat(dead.get(0).value()).isEqualTo(NOT_AVRO);
                assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("a.md#0#0");
                assertThat(header(dead.get(0), "__streams.errors.topic")).isEqualTo(Topics.SCORING_SCORED);
                assertThat(header(dead.get(0), "__streams.errors.message")).isNotBlank();
                // and /health names it
                Health health = sink.health();
                assertThat(health.status()).as(health.toString()).isEqualTo(Health.Status.UP);
                assertThat(health.reason()).contains("1 record sent to " + Topics.SINK_DLQ,
                        "last " + Topics.SCORING_SCORED + "-0@0");
            }
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(200);
        }
    }
}
