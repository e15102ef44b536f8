package dev.qastream.sink;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import dev.qastream.schemas.DatasetRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dataset file writer on a real broker and registry (one platform for the class). The tests share the
 * dataset.pairs topic, so each one marks its pairs (a phrase in the question) and counts only those, and a
 * writer always reads the other tests' records too.
 */
class DatasetFileWriterTest {
    @TempDir
    static Path shared;
    static EmbeddedPlatform platform;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPlatform() {
        platform = EmbeddedPlatform.start(shared.resolve("platform"));
        TopicAdmin.ensureTopics(ctx(shared.resolve("admin"), platform.registryApiUrl()).kafka(), Topics.withPlainAvro());
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @Test
    void recordsThatCannotBeReadAreSkippedAndLaterPairsStillReachTheFile() throws Exception {
        ServiceContext ctx = ctx(dir);
        Path file = dir.resolve("out").resolve(SinkService.DATASET_FILE);
        try (Running w = new Running(ctx, file)) {
            // Given, on one partition, good pairs around bytes that are not Avro and a record whose schema id
            // the registry does not know
            send(ctx, 0, "poison.md#0#0", pair("poison.md#0#0", "poison-test pair 0"));
            sendRaw(ctx, 0, "poison.md#0#1", "this is not avro".getBytes(StandardCharsets.UTF_8));
            sendRaw(ctx, 0, "poison.md#0#2", new byte[]{0, 0x7f, (byte) 0xff, 0x12, 0x34, 2, 4, 6});
            send(ctx, 0, "poison.md#0#3", pair("poison.md#0#3", "poison-test pair 3"));

            // Then the writer steps over both and writes the pairs after them
            awaitTrue("both good pairs in the file", () -> lines(file, "poison-test pair").size() == 2);
            // and goes on with pairs that come later
            send(ctx, 0, "poison.md#0#4", pair("poison.md#0#4", "poison-test pair 4"));
            awaitTrue("the later pair in the file", () -> lines(file, "poison-test pair").size() == 3);
            assertThat(counter(ctx, "qastream.sink.unreadable")).as("unreadable records counted").isEqualTo(2);
            assertThat(w.writer.healthy()).isTrue();
        }
    }

    @Test
    void aRegistryThatIsDownIsWaitedForNotTakenForABadRecord() throws Exception {
        ServiceContext producer = ctx(dir.resolve("producer"));
        List<DatasetRecord> pairs = IntStream.range(0, 5).mapToObj(i -> pair("outage.md#0#" + i, "outage-test pair " + i)).toList();
        for (int i = 0; i < pairs.size(); i++) {
            send(producer, i % 3, "outage.md#0#" + i, pairs.get(i));
        }
        try (RegistryGate gate = new RegistryGate(platform.registryApiUrl())) {
            // Given a writer that starts while the registry does not answer
            ServiceContext ctx = ctx(dir, gate.registryApiUrl());
            Path file = dir.resolve("out").resolve(SinkService.DATASET_FILE);
            try (Running w = new Running(ctx, file)) {
                awaitTrue("the writer says it waits for the registry", () -> !w.writer.healthy()
                        && w.writer.problem() != null && w.writer.problem().contains("registry"));

                // When the registry is back
                gate.open(true);

                // Then every pair is in the file: none was skipped as unreadable
                awaitTrue("all five pairs in the file", () -> lines(file, "outage-test pair").size() == 5);
                awaitTrue("healthy again", w.writer::healthy);
            }
        }
    }

    @Test
    void aFileThatCannotBeWrittenIsRetriedAndTheWriterSaysSoMeanwhile() throws Exception {
        ServiceContext ctx = ctx(dir);
        // A file where the output folder should be: nothing can be written under it
        Path out = Files.writeString(dir.resolve("blocked"), "not a folder");
        Path file = out.resolve(SinkService.DATASET_FILE);
        send(ctx, 1, "io.md#0#0", pair("io.md#0#0", "io-test pair 0"));
        try (Running w = new Running(ctx, file)) {
            awaitTrue("the writer says it cannot write the file", () -> !w.writer.healthy()
                    && w.writer.problem() != null && w.writer.problem().contains(file.toString()));

            // When the obstacle is gone
            Files.delete(out);
            send(ctx, 2, "io.md#0#1", pair("io.md#0#1", "io-test pair 1"));

            // Then the writer, still running, writes both pairs
            awaitTrue("both pairs in the file", () -> lines(file, "io-test pair").size() == 2);
            awaitTrue("healthy again", w.writer::healthy);
            assertThat(w.writer.problem()).isNull();
        }
    }

    @Test
    void aRestartOverALargeDatasetNeverShowsAPartialFile() throws Exception {
        // Given 20,000 pairs, mirrored into the file by a first run
        ServiceContext ctx = ctx(dir);
        int count = 20_000;
        try (KafkaProducer<String, DatasetRecord> producer = producer(ctx)) {
            for (int i = 0; i < count; i++) {
                String key = "large/doc-%05d.md#0#0".formatted(i);
                producer.send(new ProducerRecord<>(Topics.DATASET_PAIRS, key, pair(key, "large-test pair " + i)));
            }
        }
        Map<TopicPartition, Long> end = endOffsets(ctx);
        Path file = dir.resolve("out").resolve(SinkService.DATASET_FILE);
        try (Running first = new Running(ctx, file)) {
            awaitTrue("the first run caught up", () -> first.writer.caughtUpTo(end));
        }
        long before = countLines(file);
        assertThat(before).isGreaterThanOrEqualTo(count);

        // When the writer starts again over the same file, with the file watched all along
        AtomicLong fewest = new AtomicLong(Long.MAX_VALUE);
        Thread sampler = Thread.ofPlatform().name("line-sampler").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    fewest.accumulateAndGet(countLines(file), Math::min);
                    Thread.sleep(2);
                }
            } catch (InterruptedException e) {
                // done
            }
        });
        ServiceContext again = ctx(dir);
        try (Running second = new Running(again, file)) {
            awaitTrue("the second run caught up and rewrote the file",
                    () -> second.writer.caughtUpTo(end) && counter(again, "qastream.sink.file.writes") >= 1);
        } finally {
            sampler.interrupt();
            sampler.join();
        }

        // Then the file never showed fewer pairs than it held
        assertThat(fewest.get()).as("fewest lines seen while the writer restarted").isGreaterThanOrEqualTo(before);
        assertThat(countLines(file)).isEqualTo(before);
    }

    /** A writer on its own thread, as the service runs it. */
    private static final class Running implements AutoCloseable {
        final DatasetFileWriter writer;
        final Thread thread;

        Running(ServiceContext ctx, Path file) {
            writer = new DatasetFileWriter(ctx, file);
            thread = Thread.ofPlatform().name("dataset-file-writer").start(writer);
        }

        @Override
        public void close() throws InterruptedException {
            writer.stop();
            thread.join(15_000);
            assertThat(thread.isAlive()).as("writer stopped").isFalse();
        }
    }

    private static ServiceContext ctx(Path dir) {
        return ctx(dir, platform.registryApiUrl());
    }

    /** A context of its own (data dir, output folder, meters) for one writer. */
    private static ServiceContext ctx(Path dir, String registryApiUrl) {
        Map<String, String> settings = new HashMap<>();
        settings.put("data-dir", dir.resolve("data").toString());
        settings.put("out", dir.resolve("out").toString());
        Config config = Config.load(null).with(settings);
        return ServiceContext.create(config, new KafkaSettings(platform.bootstrapServers(), config), registryApiUrl,
                new SimpleMeterRegistry());
    }

    static DatasetRecord pair(String key, String question) {
        String chunk = key.substring(0, key.lastIndexOf('#'));
        return DatasetRecord.newBuilder()
                .setSystemPrompt("You are a RAN expert.")
                .setQuestion(question + ": what is the default of NRCellDU.pagingLoadLimit?")
                .setAnswer("The default value of NRCellDU.pagingLoadLimit is 16, which limits paging per cell.")
                .setFeatureName("Paging Load Control").setQualityScore(0.9)
                .setTechnicalTerms(List.of("NRCellDU.pagingLoadLimit", "gNB"))
                .setSourceDocument(chunk.substring(0, chunk.lastIndexOf('#'))).setChunkId(chunk)
                .setModel("extractive-v1").setTier("fast").setPromptVersion("extractive-v1-abc")
                .setTier1ExactParams(1).setTier2ConfigTerms(0).setTier3NetworkElements(1).setTier4RareTerms(0)
                .setRevision(1).build();
    }

    private static KafkaProducer<String, DatasetRecord> producer(ServiceContext ctx) {
        return new KafkaProducer<>(ctx.kafka().producer("test-dataset"), ctx.topics().dataset.keySerde().serializer(),
                ctx.topics().dataset.valueSerde().serializer());
    }

    private static void send(ServiceContext ctx, int partition, String key, DatasetRecord pair) throws Exception {
        try (KafkaProducer<String, DatasetRecord> producer = producer(ctx)) {
            producer.send(new ProducerRecord<>(Topics.DATASET_PAIRS, partition, key, pair)).get();
        }
    }

    /** Bytes as they are, as a misbehaving producer writes them. */
    private static void sendRaw(ServiceContext ctx, int partition, String key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ctx.kafka().rawProducer("test-raw"))) {
            producer.send(new ProducerRecord<>(Topics.DATASET_PAIRS, partition, key.getBytes(StandardCharsets.UTF_8),
                    value)).get();
        }
    }

    private static Map<TopicPartition, Long> endOffsets(ServiceContext ctx) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(ctx.kafka().rawConsumer(null))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DATASET_PAIRS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(partitions);
        }
    }

    private static List<String> lines(Path file, String marker) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.contains(marker)).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of the file as a reader opening it now sees them (0 when there is none). */
    private static long countLines(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            long lines = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
            }
            return lines;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double counter(ServiceContext ctx, String name) {
        return ctx.meters().find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
