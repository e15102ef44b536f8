package dev.qastream.generation;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.ConsumerLag;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.kafka.TopicSnapshot;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DeadLetter;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.QaPair;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A tier worker on a real broker: retries what may pass, dead-letters what cannot, and commits both. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GenerationWorkerTest {
    @TempDir
    Path dir;

    @Test
    void retriesTransientFailuresAndDeadLettersPermanentOnesWithoutLosingOrRepeating() throws Exception {
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(dir.resolve("data"))) {
            // Given a tier whose generator fails twice for one chunk before it works, and always for another
            Config config = Config.load(null).with(Map.of("data-dir", dir.resolve("data").toString(),
                    "generation.retry-backoff-ms", "10", "generation.max-pairs-per-chunk", "3", "tiers.fast.retries", "3"));
            KafkaSettings kafka = new KafkaSettings(platform.bootstrapServers(), config);
            ServiceContext ctx = ServiceContext.create(config, kafka, platform.registryApiUrl(), new SimpleMeterRegistry());
            TopicAdmin.ensureTopics(kafka, ctx.topics());
            FlakyGenerator generator = new FlakyGenerator();
            send(ctx, TestChunks.chunk("flaky.md#0", 0.1), TestChunks.chunk("broken.md#0", 0.1));

            // When the worker runs until both requests are handled
            GenerationWorker worker = new GenerationWorker(ctx, "fast", generator, "test-fast", "test-fast-0");
            Thread thread = new Thread(worker, "worker");
            thread.start();
            try (ConsumerLag lag = new ConsumerLag(kafka)) {
                long deadline = System.currentTimeMillis() + 60_000;
                while (lag.lag("test-fast", List.of(Topics.requestTopic("fast"))) > 0
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(lag.lag("test-fast", List.of(Topics.requestTopic("fast")))).isZero();
            } finally {
                worker.stop();
                thread.join(10_000);
            }

            // Then the flaky chunk's pair is there once, after three attempts, and its unused slots are cleared
            List<ConsumerRecord<String, QaPair>> pairs = TopicSnapshot.records(kafka, ctx.topics().pairs);
            assertThat(pairs).filteredOn(r -> r.value() != null).extracting(ConsumerRecord::key)
                    .containsExactly("flaky.md#0#0");
            assertThat(pairs).filteredOn(r -> r.value() == null).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder("flaky.md#0#1", "flaky.md#0#2");
            assertThat(generator.attempts.get("flaky.md#0")).hasValue(3);
            // and the broken one is dead-lettered once, with the reason, after one attempt (not retryable)
            List<ConsumerRecord<String, DeadLetter>> dead = TopicSnapshot.records(kafka, ctx.topics().deadLetters);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).key()).isEqualTo("broken.md#0");
            assertThat(dead.get(0).value().getReason()).isEqualTo("model answered with no JSON");
            assertThat(dead.get(0).value().getAttempts()).isEqualTo(1);
            assertThat(dead.get(0).value().getRequest().getChunk().getChunkId()).isEqualTo("broken.md#0");
        }
    }

    private static void send(ServiceContext ctx, Chunk... chunks) {
        var topic = ctx.topics().request("fast");
        try (KafkaProducer<String, GenerationRequest> producer = new KafkaProducer<>(ctx.kafka().producer("test"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (Chunk c : chunks) {
                producer.send(new ProducerRecord<>(topic.name(), c.getChunkId(), GenerationRequest.newBuilder()
                        .setTier("fast").setChunk(c).setRoutedAtMs(1L).build()));
            }
        }
    }

    /** Fails "flaky" chunks twice (retryable), "broken" chunks always (not retryable). */
    private static final class FlakyGenerator implements PairGenerator {
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

        @Override
        public Generation generate(Chunk chunk, String tier) throws GenerationException {
            int attempt = attempts.computeIfAbsent(chunk.getChunkId(), k -> new AtomicInteger()).incrementAndGet();
            if (chunk.getChunkId().startsWith("broken")) {
                throw new GenerationException("model answered with no JSON", false);
            }
            if (attempt < 3) {
                throw new GenerationException("timed out", true);
            }
            return Generation.of(List.of(new GeneratedPair("What is it?", "It is a test.", null)));
        }

        @Override
        public String backend() {
            return "test";
        }

        @Override
        public String model() {
            return "test";
        }

        @Override
        public String promptVersion() {
            return "test-1";
        }
    }
}
