package dev.qastream.generation;

import dev.qastream.llm.PairGenerator;

import dev.qastream.generation.worker.Supervisor;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.ConsumerLag;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.kafka.TopicSnapshot;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import dev.qastream.runtime.platform.EmbeddedRegistry;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DeadLetter;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.TermTiers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A real broker and registry for worker tests, and the few things every such test does. */
final class WorkerHarness implements AutoCloseable {
    final EmbeddedPlatform platform;
    private final Path dataDir;
    /** The registry started again by {@link #startRegistry()}, on the same port and data as the platform's. */
    private EmbeddedRegistry restartedRegistry;

    private WorkerHarness(EmbeddedPlatform platform, Path dataDir) {
        this.platform = platform;
        this.dataDir = dataDir;
    }

    static WorkerHarness start(Path dir) {
        Path data = dir.resolve("data");
        WorkerHarness h = new WorkerHarness(EmbeddedPlatform.start(data), data);
        TopicAdmin.ensureTopics(h.ctx(Map.of()).kafka(), Topics.withPlainAvro());
        return h;
    }

    /** A context with fast retries and the given overrides; its own meters. */
    ServiceContext ctx(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(Map.of("data-dir", dataDir.toString(),
                "generation.retry-backoff-ms", "20", "generation.retry-max-backoff-ms", "200",
                "generation.max-pairs-per-chunk", "4"));
        all.putAll(overrides);
        Config config = Config.load(null).with(all);
        KafkaSettings kafka = new KafkaSettings(platform.bootstrapServers(), config);
        return ServiceContext.create(config, kafka, platform.registryApiUrl(), new SimpleMeterRegistry());
    }

    /** Empties the request and dead-letter topics (not compacted), so each test starts from its own records. */
    void clearRequests(ServiceContext ctx) throws Exception {
        try (Admin admin = Admin.create(ctx.kafka().admin())) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : List.of(Topics.requestTopic("fast"), Topics.requestTopic("balanced"),
                    Topics.requestTopic("quality"), Topics.GENERATION_DLQ, Topics.GENERATION_REQUESTS_DLQ)) {
                for (int p = 0; p < ctx.kafka().partitions(); p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
            }
            Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> delete.put(tp, RecordsToDelete.beforeOffset(info.offset())));
            admin.deleteRecords(delete).all().get();
        }
    }

    /** Stops the schema registry (its schemas stay in its data folder): clients then get connection refused. */
    void stopRegistry() {
        (restartedRegistry != null ? restartedRegistry : platform.registry()).close();
    }

    /** Starts the registry again on the same port and data: the same URL and the same schema ids. */
    void startRegistry() {
        int port = URI.create(platform.registry().url()).getPort();
        restartedRegistry = EmbeddedRegistry.start(platform.dataDir().resolve("registry"), port);
    }

    /** Writes chunk records to ingest.chunks, as the ingest service does; returns their offsets (their revisions). */
    static long[] sendChunks(ServiceContext ctx, Chunk... chunks) throws Exception {
        var topic = ctx.topics().chunks;
        long[] offsets = new long[chunks.length];
        try (KafkaProducer<String, Chunk> producer = new KafkaProducer<>(ctx.kafka().producer("test-chunks"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int i = 0; i < chunks.length; i++) {
                offsets[i] = producer.send(new ProducerRecord<>(topic.name(), chunks[i].getChunkId(), chunks[i])).get().offset();
            }
        }
        return offsets;
    }

    /** Writes records to one partition as they are, bytes no serializer made (or made earlier). */
    static void sendRaw(ServiceContext ctx, String topic, int partition, List<Map.Entry<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(ctx.kafka().producer("test-raw"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (Map.Entry<String, byte[]> r : records) {
                producer.send(new ProducerRecord<>(topic, partition, r.getKey(), r.getValue()));
            }
        }
    }

    /** Requests written to one partition, in this order. */
    static void sendTo(ServiceContext ctx, int partition, GenerationRequest... requests) {
        var topic = ctx.topics().request("fast");
        try (KafkaProducer<String, GenerationRequest> producer = new KafkaProducer<>(ctx.kafka().producer("test"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (GenerationRequest r : requests) {
                producer.send(new ProducerRecord<>(Topics.requestTopic(r.getTier()), partition, r.getChunk().getChunkId(), r));
            }
        }
    }

    /** Per pair key, the record compaction keeps: the last one by offset. */
    static Map<String, QaPair> lastByOffset(List<ConsumerRecord<String, QaPair>> records) {
        Map<String, QaPair> last = new LinkedHashMap<>();
        records.forEach(r -> last.put(r.key(), r.value()));
        return last;
    }

    static Chunk chunk(String id, String checksum) {
        return Chunk.newBuilder()
                .setChunkId(id).setDocumentId(id.substring(0, id.lastIndexOf('#'))).setOrdinal(0)
                .setText("text of " + id).setChecksum(checksum).setTokenEstimate(10).setComplexity(0.5)
                .setDocument(DocumentInfo.newBuilder().build())
                .setTerms(TermTiers.newBuilder().build())
                .setQuality(ChunkQuality.newBuilder().build())
                .build();
    }

    static GenerationRequest request(String tier, Chunk chunk, long revision) {
        return GenerationRequest.newBuilder().setTier(tier).setChunk(chunk).setRoutedAtMs(1L).setRevision(revision).build();
    }

    static void send(ServiceContext ctx, GenerationRequest... requests) {
        var topic = ctx.topics().request("fast");
        try (KafkaProducer<String, GenerationRequest> producer = new KafkaProducer<>(ctx.kafka().producer("test"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (GenerationRequest r : requests) {
                producer.send(new ProducerRecord<>(Topics.requestTopic(r.getTier()), r.getChunk().getChunkId(), r));
            }
        }
    }

    /**
     * A worker run the way the service runs it: under a {@link Supervisor}, which starts a fresh worker (after
     * a 1 s backoff) when a run ends without being asked to, e.g. on a transient broker or registry failure.
     * One such failed run is tolerated; more fail the test when it is closed (a worker that keeps failing
     * also leaves its requests undrained, so the test's waits time out first).
     */
    static final class Running implements AutoCloseable {
        /** Runs that may end in failure before the test fails: one transient failure is not the code's fault. */
        static final int TOLERATED_FAILED_RUNS = 1;

        private final Supervisor supervisor;
        private final List<Throwable> failedRuns = new CopyOnWriteArrayList<>();
        private volatile GenerationWorker current;
        private volatile boolean closing;

        Running(Supplier<GenerationWorker> workers) {
            this.supervisor = new Supervisor("test-worker", () -> {
                try {
                    return new Run(current = workers.get());
                } catch (RuntimeException e) {
                    failed(e);
                    throw e;
                }
            }).start();
        }

        /** The partitions the current run holds (none before it starts). */
        Set<TopicPartition> assigned() {
            GenerationWorker w = current;
            return w == null ? Set.of() : w.assigned();
        }

        /** How runs ended without being asked to: the exception each threw. */
        List<Throwable> failedRuns() {
            return List.copyOf(failedRuns);
        }

        private void failed(Throwable e) {
            if (!closing) {
                failedRuns.add(e);
            }
        }

        /** One run of one worker, recording how it ended. */
        private final class Run implements Supervisor.Supervised {
            private final GenerationWorker worker;

            Run(GenerationWorker worker) {
                this.worker = worker;
            }

            @Override
            public void run() {
                try {
                    worker.run();
                } catch (RuntimeException | Error e) {
                    failed(e);
                    throw e;
                }
                failed(new IllegalStateException("the worker returned without being asked to stop"));
            }

            @Override
            public void stop() {
                worker.stop();
            }

            @Override
            public boolean working() {
                return worker.working();
            }
        }

        @Override
        public void close() {
            closing = true;
            supervisor.stop(20_000);
            GenerationWorker w = current;
            assertThat(w == null || !w.working()).as("worker stopped").isTrue();
            assertThat(failedRuns).as("worker runs that failed (at most %d tolerated)", TOLERATED_FAILED_RUNS)
                    .hasSizeLessThanOrEqualTo(TOLERATED_FAILED_RUNS);
        }
    }

    static Running run(ServiceContext ctx, String tier, PairGenerator generator, String group) {
        return new Running(() -> new GenerationWorker(ctx, tier, generator, group));
    }

    /** Waits until the groups have processed every request of their tiers. */
    static void awaitDrained(ServiceContext ctx, Duration timeout, Map<String, String> groupByTier) throws InterruptedException {
        try (ConsumerLag lag = new ConsumerLag(ctx.kafka())) {
            awaitTrue(timeout, "requests drained", () -> groupByTier.entrySet().stream()
                    .allMatch(e -> lag.lag(e.getValue(), List.of(Topics.requestTopic(e.getKey()))) == 0));
        }
    }

    static void awaitTrue(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Committed records on generation.pairs whose key starts with {@code prefix}, in offset order per partition. */
    static List<ConsumerRecord<String, QaPair>> pairs(ServiceContext ctx, String prefix) {
        return TopicSnapshot.records(ctx.kafka(), ctx.topics().pairs).stream()
                .filter(r -> r.key().startsWith(prefix)).toList();
    }

    /** Committed requests on a tier's request topic whose key starts with {@code prefix}. */
    static List<GenerationRequest> requests(ServiceContext ctx, String tier, String prefix) {
        return TopicSnapshot.records(ctx.kafka(), ctx.topics().request(tier)).stream()
                .filter(r -> r.key().startsWith(prefix)).map(ConsumerRecord::value).toList();
    }

    /** A coverage follow-up of round {@code round} naming facts by their subjects (fact id = chunk id|kind|subject). */
    static GenerationRequest followUp(String tier, Chunk chunk, long revision, int round, String... subjects) {
        List<dev.qastream.schemas.FocusFact> focus = java.util.Arrays.stream(subjects).map(s -> dev.qastream.schemas.FocusFact.newBuilder()
                .setFactId(chunk.getChunkId() + "|parameter.default|" + s).setSubject(s).setKind("parameter.default")
                .setValue("1").setText("the default value of " + s).build()).toList();
        return GenerationRequest.newBuilder(request(tier, chunk, revision)).setFocus(focus).setRound(round).build();
    }

    static List<DeadLetter> deadLetters(ServiceContext ctx, String prefix) {
        return TopicSnapshot.records(ctx.kafka(), ctx.topics().deadLetters).stream()
                .filter(r -> r.key().startsWith(prefix)).map(ConsumerRecord::value).toList();
    }

    /** Request records that could not be read, as they were, on the raw dead-letter topic. */
    static List<ConsumerRecord<String, byte[]>> rawDeadLetters(ServiceContext ctx) {
        return TopicSnapshot.records(ctx.kafka(), ctx.topics().requestDeadLetters);
    }

    /** What a downstream stage keeps: per pair key the record of the newest revision (ties: the later write). */
    static Map<String, QaPair> newestRevisionWins(List<ConsumerRecord<String, QaPair>> records) {
        Map<String, QaPair> state = new LinkedHashMap<>();
        for (ConsumerRecord<String, QaPair> r : records) {
            QaPair held = state.get(r.key());
            if (held == null || r.value().getRevision() >= held.getRevision()) {
                state.put(r.key(), r.value());
            }
        }
        state.values().removeIf(QaPair::getRemoved);
        return state;
    }

    double counter(ServiceContext ctx, String name, String... tags) {
        return ctx.meters().find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Override
    public void close() {
        try {
            platform.close();
        } finally {
            if (restartedRegistry != null) {
                restartedRegistry.close();
            }
        }
    }
}
