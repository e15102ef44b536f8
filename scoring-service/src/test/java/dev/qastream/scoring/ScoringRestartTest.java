package dev.qastream.scoring;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.ConsumerLag;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a real broker: pairs consumed (their offsets committed) while waiting for their embedding batch when the
 * service stops are scored by the next instance, even one on another machine (a fresh state folder, restored
 * from the changelog). A buffer held only in memory fails this test.
 */
class ScoringRestartTest {
    @TempDir
    Path dir;

    @Test
    void pairsWaitingForTheirBatchWhenTheServiceStopsAreScoredAfterTheRestart() throws Exception {
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(dir.resolve("platform"))) {
            // A batch that never fills and never times out while the first instance runs
            ServiceContext first = ctx(platform, dir.resolve("first"),
                    Map.of("scoring.batch.pairs", "100", "scoring.batch.linger-ms", "600000"));
            TopicAdmin.ensureTopics(first.kafka(), first.topics());
            Chunk chunk = Fixtures.chunk();
            List<QaPair> pairs = List.of(
                    Fixtures.pair(0, "What is the default value of EUtranCellFDD.ulPowerBoostEnabled?",
                            "The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled)."),
                    Fixtures.pair(1, "What is the valid range of EUtranCellFDD.ulPowerBoostRsrpThreshold?",
                            "EUtranCellFDD.ulPowerBoostRsrpThreshold takes values from -140 to -44 dBm."),
                    Fixtures.pair(2, "How often does the eNodeB evaluate the RSRP for the uplink power boost?",
                            "The eNodeB evaluates the RSRP every 200 ms."));
            send(first, chunk, pairs);

            try (ScoringService service = new ScoringService(first)) {
                service.start();
                try (ConsumerLag lag = new ConsumerLag(first.kafka())) {
                    awaitTrue("pairs consumed and committed", () -> drained(lag));
                }
            }
            assertThat(scored(first)).as("nothing scored while the batch waits").isEmpty();

            // Another instance with its own, empty state folder
            ServiceContext second = ctx(platform, dir.resolve("second"), Map.of("scoring.batch.linger-ms", "50"));
            try (ScoringService service = new ScoringService(second)) {
                service.start();
                awaitTrue("three pairs scored", () -> scored(second).size() >= 3);
            }
            List<ConsumerRecord<String, ScoredPair>> records = scored(second);
            assertThat(records).as("each scored once").hasSize(3);
            Map<String, ScoredPair> out = new HashMap<>();
            records.forEach(r -> out.put(r.key(), r.value())); // the output topic's partitions: no order across them
            assertThat(out).containsOnlyKeys("lte/boost.md#0#0", "lte/boost.md#0#1", "lte/boost.md#0#2");
            assertThat(out.values()).allSatisfy(s -> assertThat(s.getCoherence()).isNotNull());
            ScoredPair first0 = out.get("lte/boost.md#0#0");
            assertThat(first0.getAccepted()).as(first0.getReasons().toString()).isTrue();
        }
    }

    /** Both steps' inputs read to the end and committed (false while the app is still creating its topics). */
    private static boolean drained(ConsumerLag lag) {
        try {
            return lag.lag(ScoringService.APP_ID, List.of(Topics.GENERATION_PAIRS,
                    ScoringService.APP_ID + "-pairs-by-chunk-repartition")) == 0;
        } catch (IllegalStateException notYet) {
            return false;
        }
    }

    private static ServiceContext ctx(EmbeddedPlatform platform, Path dataDir, Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("data-dir", dataDir.toString());
        Config config = Config.load(null).with(all);
        return ServiceContext.create(config, new KafkaSettings(platform.bootstrapServers(), config),
                platform.registryApiUrl(), new SimpleMeterRegistry());
    }

    private static void send(ServiceContext ctx, Chunk chunk, List<QaPair> pairs) throws Exception {
        Topics t = ctx.topics();
        try (KafkaProducer<String, Chunk> chunks = new KafkaProducer<>(ctx.kafka().producer("test-chunks"),
                t.chunks.keySerde().serializer(), t.chunks.valueSerde().serializer());
             KafkaProducer<String, QaPair> out = new KafkaProducer<>(ctx.kafka().producer("test-pairs"),
                     t.pairs.keySerde().serializer(), t.pairs.valueSerde().serializer())) {
            chunks.send(new ProducerRecord<>(Topics.INGEST_CHUNKS, chunk.getChunkId(), chunk)).get();
            for (QaPair p : pairs) {
                out.send(new ProducerRecord<>(Topics.GENERATION_PAIRS, p.getPairKey(), p)).get();
            }
        }
    }

    private static List<ConsumerRecord<String, ScoredPair>> scored(ServiceContext ctx) {
        return TopicSnapshot.records(ctx.kafka(), ctx.topics().scored);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(200);
        }
    }
}
