package dev.qastream.scoring;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a real broker, a backlog of chunks (as when a large corpus is dropped at once) on a slow embedder, with a
 * short exactly-once transaction timeout: the scoring app's transactions stay short, so it is never fenced, and
 * the pairs waiting behind the backlog are scored. Embedding every chunk of a commit's cache flush inside one
 * transaction fails this test.
 */
class ScoringBacklogTest {
    private static final Pattern FENCED = Pattern.compile("InvalidProducerEpochException|ProducerFencedException|being fenced");
    private static final int BACKLOG_CHUNKS = 400;
    private static final long SLOW_EMBED_MS = 50;
    private static final int TRANSACTION_TIMEOUT_MS = 3_000;

    @TempDir
    Path dir;

    @Test
    void aChunkBacklogOnASlowEmbedderNeverOutlivesTheTransactionAndItsPairsAreScored() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(dir.resolve("platform"))) {
            // Given a short transaction timeout for the Streams producer (10 s by default) and a slow embedder
            Path clientProperties = dir.resolve("client.properties");
            Files.writeString(clientProperties, "producer.transaction.timeout.ms=" + TRANSACTION_TIMEOUT_MS + "\n");
            Config config = Config.load(null).with(Map.of("data-dir", dir.resolve("data").toString(),
                    "kafka.client-properties", clientProperties.toString()));
            ServiceContext ctx = ServiceContext.create(config, new KafkaSettings(platform.bootstrapServers(), config),
                    platform.registryApiUrl(), new SimpleMeterRegistry());
            TopicAdmin.ensureTopics(ctx.kafka(), ctx.topics());

            // and the pairs of one chunk waiting behind a backlog of chunks
            List<Chunk> chunks = new ArrayList<>();
            chunks.add(Fixtures.chunk());
            for (int i = 0; i < BACKLOG_CHUNKS; i++) {
                chunks.add(Fixtures.chunk("backlog/doc-" + i + ".md", "sum" + i,
                        Fixtures.TEXT.replace("Cell Edge", "Cell Edge variant " + i), List.of()));
            }
            List<QaPair> pairs = List.of(
                    Fixtures.pair(0, "What is the default value of EUtranCellFDD.ulPowerBoostEnabled?",
                            "The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled)."),
                    Fixtures.pair(1, "What is the valid range of EUtranCellFDD.ulPowerBoostRsrpThreshold?",
                            "EUtranCellFDD.ulPowerBoostRsrpThreshold takes values from -140 to -44 dBm."),
                    Fixtures.pair(2, "How often does the eNodeB evaluate the RSRP for the uplink power boost?",
                            "The eNodeB evaluates the RSRP every 200 ms."));
            send(ctx, chunks, pairs);

            // When the scoring app works through it
            ScoringSettings settings = ScoringSettings.from(config);
            PairScorer slow = new PairScorer(new StructuralScorer(), new SemanticScorer(new SlowEmbedder(), settings.domain()),
                    settings, PairJudge.NONE, System::currentTimeMillis);
            try (ScoringService service = new ScoringService(ctx, slow)) {
                service.start();
                // Then the pairs are scored while the chunk backlog is still being embedded
                long deadline = System.currentTimeMillis() + 60_000;
                while (scored(ctx).size() < pairs.size() && System.currentTimeMillis() < deadline
                        && fencings(log).isEmpty()) {
                    Thread.sleep(250);
                }
                assertThat(fencings(log)).as("scoring was fenced: its transaction outlived %d ms", TRANSACTION_TIMEOUT_MS)
                        .isEmpty();
                assertThat(scored(ctx)).as("pairs scored within 60 s").hasSize(pairs.size());
            }
            // and the app was never fenced, also not while it stopped
            assertThat(fencings(log)).isEmpty();
        } finally {
            root.detachAppender(log);
        }
    }

    /** The real model, 50 ms slower a call: what a busy machine does to it. */
    private static final class SlowEmbedder implements Embedder {
        @Override
        public List<float[]> embed(List<String> texts) {
            try {
                Thread.sleep(SLOW_EMBED_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return MiniLmEmbedder.shared().embed(texts);
        }
    }

    private static List<String> fencings(ListAppender<ILoggingEvent> log) {
        List<String> found = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(log.list)) {
            StringBuilder text = new StringBuilder(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
            }
            if (FENCED.matcher(text).find()) {
                found.add(text.toString());
            }
        }
        return found;
    }

    private static void send(ServiceContext ctx, List<Chunk> chunks, List<QaPair> pairs) throws Exception {
        Topics t = ctx.topics();
        // One request in flight: a first batch refused while the new topic's leader settles was seen to send the
        // idempotent producer into two minutes of OUT_OF_ORDER_SEQUENCE_NUMBER retries with several in flight.
        java.util.Map<String, Object> chunkProps = ctx.kafka().producer("test-chunks");
        chunkProps.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<String, Chunk> out = new KafkaProducer<>(chunkProps,
                t.chunks.keySerde().serializer(), t.chunks.valueSerde().serializer());
             KafkaProducer<String, QaPair> pairOut = new KafkaProducer<>(ctx.kafka().producer("test-pairs"),
                     t.pairs.keySerde().serializer(), t.pairs.valueSerde().serializer())) {
            for (Chunk c : chunks) {
                out.send(new ProducerRecord<>(Topics.INGEST_CHUNKS, c.getChunkId(), c));
            }
            out.flush();
            for (QaPair p : pairs) {
                pairOut.send(new ProducerRecord<>(Topics.GENERATION_PAIRS, p.getPairKey(), p)).get();
            }
        }
    }

    private static List<ConsumerRecord<String, ScoredPair>> scored(ServiceContext ctx) {
        return TopicSnapshot.records(ctx.kafka(), ctx.topics().scored);
    }
}
