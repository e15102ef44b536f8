package dev.qastream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.Topic;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.kafka.TopicSnapshot;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentRecord;
import dev.qastream.schemas.IngestError;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * One real embedded platform (KRaft broker + registry process) with one inbox and out folder, shared
 * by the tests of one class: document ids are paths relative to the inbox, so each class owns its
 * inbox and its topics' content. Services are created per step, all against the same topics, which is
 * exactly what a restart of ingest looks like.
 */
final class IngestHarness implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path inbox;
    final Path out;
    final Path outside;
    private final EmbeddedPlatform platform;
    private final Config base;
    private final KafkaSettings kafka;
    private final ServiceContext ctx;

    private IngestHarness(Path dir, EmbeddedPlatform platform) throws IOException {
        this.platform = platform;
        this.inbox = Files.createDirectories(dir.resolve("inbox"));
        this.out = dir.resolve("out");
        this.outside = Files.createDirectories(dir.resolve("outside"));
        this.base = Config.load(null).with(Map.of(
                "data-dir", dir.resolve("data").toString(),
                "inbox", inbox.toString(),
                "out", out.toString(),
                "ingest.settle-ms", "0"));
        this.kafka = new KafkaSettings(platform.bootstrapServers(), base);
        this.ctx = context(Map.of());
        TopicAdmin.ensureTopics(kafka, ctx.topics());
    }

    static IngestHarness start(Path dir) throws IOException {
        EmbeddedPlatform platform = EmbeddedPlatform.start(dir.resolve("data"));
        try {
            return new IngestHarness(dir, platform);
        } catch (IOException | RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    /** A fresh ingest service (settle time 0 unless overridden); its state comes from ingest.documents. */
    IngestService service(Map<String, String> overrides) {
        return new IngestService(context(overrides));
    }

    IngestService service() {
        return service(Map.of());
    }

    /** A fresh ingest service whose folder listings and file reads go through {@code files}. */
    IngestService service(Map<String, String> overrides, InboxFiles files) {
        return new IngestService(context(overrides), files);
    }

    private ServiceContext context(Map<String, String> overrides) {
        Config config = overrides.isEmpty() ? base : base.with(overrides);
        return ServiceContext.create(config, new KafkaSettings(platform.bootstrapServers(), config),
                platform.registryApiUrl(), new SimpleMeterRegistry());
    }

    Path write(String documentId, String content) {
        return write(documentId, content.getBytes(StandardCharsets.UTF_8));
    }

    Path write(String documentId, byte[] content) {
        try {
            Path file = inbox.resolve(documentId);
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<ConsumerRecord<String, Chunk>> chunkRecords() {
        return TopicSnapshot.records(kafka, resolved(ctx.topics().chunks));
    }

    Map<String, Chunk> chunks() {
        return TopicSnapshot.latest(kafka, resolved(ctx.topics().chunks));
    }

    /** The live chunks of one document, by chunk id. */
    Map<String, Chunk> chunksOf(String documentId) {
        return chunks().entrySet().stream()
                .filter(e -> e.getValue().getDocumentId().equals(documentId))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    List<ConsumerRecord<String, DocumentRecord>> documentRecords() {
        return TopicSnapshot.records(kafka, resolved(ctx.topics().documents));
    }

    Map<String, DocumentRecord> documents() {
        return TopicSnapshot.latest(kafka, resolved(ctx.topics().documents));
    }

    List<IngestError> errors() {
        return TopicSnapshot.records(kafka, resolved(ctx.topics().errors)).stream().map(ConsumerRecord::value).toList();
    }

    /**
     * Waits until no transaction on the topic is unresolved. commitTransaction() returns once the commit is
     * decided, but the commit markers reach the partitions a moment later; until then a read_committed
     * reader stops short of them (last stable offset below the high watermark), and a snapshot taken right
     * after a scan would miss part of what the scan committed.
     */
    private <T extends Topic<?, ?>> T resolved(T topic) {
        try (Admin admin = Admin.create(kafka.admin())) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic.name())).allTopicNames().get()
                    .get(topic.name()).partitions().stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            long deadline = System.currentTimeMillis() + 15_000;
            while (true) {
                var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
                var written = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get();
                if (partitions.stream().allMatch(tp -> stable.get(tp).offset() == written.get(tp).offset())) {
                    return topic;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("a transaction on " + topic.name() + " stays unresolved");
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** How many offsets ingest.chunks holds, records of open transactions and transaction markers included. */
    long chunkOffsets() {
        String topic = ctx.topics().chunks.name();
        try (Admin admin = Admin.create(kafka.admin())) {
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(topic)).allTopicNames().get()
                    .get(topic).partitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
            return admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get()
                    .values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits (at most 15 s) until no transaction on ingest.chunks is left open, committed or aborted. */
    void awaitNoOpenTransaction() {
        resolved(ctx.topics().chunks);
    }

    /**
     * Initialises a producer with ingest's transactional id, which bumps the id's epoch as the broker does when
     * it aborts a transaction that timed out: the producer that held the id can no longer write with it.
     */
    void fenceIngestProducer() {
        try (KafkaProducer<byte[], byte[]> fencing = new KafkaProducer<>(
                kafka.transactionalProducer(IngestService.TRANSACTIONAL_ID), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            fencing.initTransactions();
        }
    }

    /** The parsed lines of out/ingest-errors.jsonl (none when the file does not exist). */
    List<JsonNode> errorLogLines() {
        Path file = out.resolve("ingest-errors.jsonl");
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where each record of a topic is, so a later snapshot can tell which records were appended since. */
    static <V> Set<String> positions(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(r -> r.partition() + "@" + r.offset()).collect(Collectors.toSet());
    }

    /** The records of {@code after} that are not in {@code before}. */
    static <V> List<ConsumerRecord<String, V>> appended(Set<String> before, List<ConsumerRecord<String, V>> after) {
        return after.stream().filter(r -> !before.contains(r.partition() + "@" + r.offset())).toList();
    }

    /** Appended records by key: the value, or null for a tombstone. */
    static <V> Map<String, V> byKey(List<ConsumerRecord<String, V>> records) {
        Map<String, V> m = new HashMap<>();
        records.forEach(r -> m.put(r.key(), r.value()));
        return m;
    }

    @Override
    public void close() {
        platform.close();
    }
}
