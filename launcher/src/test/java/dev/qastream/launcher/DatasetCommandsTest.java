package dev.qastream.launcher;

import dev.qastream.generation.CacheKey;
import dev.qastream.generation.GenerationService;
import dev.qastream.generation.router.TierRouting;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.kafka.TopicSnapshot;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.review.PairFingerprint;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DatasetRecord;
import dev.qastream.schemas.DeadLetter;
import dev.qastream.schemas.GenerationCacheEntry;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ReviewDecision;
import dev.qastream.schemas.ReviewVerdict;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * replay, rescore and export against a real embedded stack: the fixtures are processed once; replay runs
 * beside that running stack; then, with it stopped, rescore and export start the platform on its data dir.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatasetCommandsTest {
    @TempDir
    static Path dir;
    static Config config;
    static Stack stack;
    static Map<String, ConsumerRecord<String, Chunk>> chunks;

    @BeforeAll
    static void processFixtures() throws Exception {
        Path inbox = dir.resolve("inbox");
        E2eFixtures.copyTo(inbox);
        Files.writeString(dir.resolve("base.yaml"), settings(0.75));
        config = Config.load(dir.resolve("base.yaml"));
        stack = Stack.start(config);
        stack.ingest().scanUntilSettled();
        assertThat(Drain.await(stack, Duration.ofMinutes(3), s -> { })).isNull();
        chunks = new TreeMap<>();
        for (var r : TopicSnapshot.records(stack.context().kafka(), stack.context().topics().chunks)) {
            chunks.put(r.key(), r);
        }
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String settings(double threshold) {
        return "data-dir: " + dir.resolve("data") + "\ninbox: " + dir.resolve("inbox") + "\nout: " + dir.resolve("out")
                + "\nhttp:\n  port: 0\ningest:\n  settle-ms: 200\nscoring:\n  accept-threshold: " + threshold + "\n"
                // one pass, and no limit of pairs per fact: with a threshold of 0 every generated pair is in
                + "coverage:\n  max-rounds: 0\n  pairs-per-fact: 0\n";
    }

    @Test
    @Order(1)
    void replayDryRunCountsOnlyTheChunksTheGenerationCacheDoesNotCover() throws Exception {
        // Given cache entries for the chunks of one document, made with the generator of each chunk's tier
        TierRouting routing = TierRouting.from(config);
        List<String> cachedChunks = chunks.values().stream().filter(r -> r.value().getDocumentId().equals("idle_mode_drx.md"))
                .map(ConsumerRecord::key).toList();
        assertThat(cachedChunks).isNotEmpty();
        var ctx = stack.context();
        try (KafkaProducer<String, GenerationCacheEntry> p = new KafkaProducer<>(ctx.kafka().producer("test"),
                ctx.topics().cache.keySerde().serializer(), ctx.topics().cache.valueSerde().serializer())) {
            for (String id : cachedChunks) {
                Chunk c = chunks.get(id).value();
                var g = GenerationService.generatorFor(ctx, routing.tierFor(c.getComplexity()));
                p.send(new ProducerRecord<>(Topics.GENERATION_CACHE, CacheKey.of(c.getChecksum(), g),
                        GenerationCacheEntry.newBuilder().setModel(g.model()).setBackend(g.backend())
                                .setPromptVersion(g.promptVersion()).setParameters(g.parameters())
                                .setChunkChecksum(c.getChecksum()).setPairs(List.of()).setCreatedAtMs(1L).build()));
            }
        }

        // When a replay is planned (what --dry-run prints)
        ChunkReplay.Plan plan = new ChunkReplay(ctx, null, null).planChunks();

        // Then every chunk is planned, and only those of the other documents reach a model
        assertThat(plan.items()).hasSize(chunks.size());
        int reachModel = plan.perTier().values().stream().mapToInt(c -> c[1]).sum();
        assertThat(reachModel).isEqualTo(chunks.size() - cachedChunks.size());
        // and the command's dry run sends nothing
        Map<String, Long> before = requestEnds();
        assertThat(Main.run("replay", "--dry-run", "--config", dir.resolve("base.yaml").toString())).isZero();
        assertThat(requestEnds()).isEqualTo(before);
    }

    @Test
    @Order(2)
    void replaySendsEachCurrentChunkOfTheMatchingDocumentsWithItsRevisionToItsTier() throws Exception {
        // Given the request topics' current ends
        Map<String, Long> before = requestEnds();

        // When the chunks of documents under lte/ are replayed beside the running stack
        assertThat(Main.run("replay", "--document", "lte/*", "--config", dir.resolve("base.yaml").toString())).isZero();

        // Then exactly those chunks were requested again, each at its revision (its offset on ingest.chunks)
        // and on the tier its complexity routes it to
        TierRouting routing = TierRouting.from(config);
        List<ConsumerRecord<String, GenerationRequest>> sent = requestsSince(before);
        Map<String, ConsumerRecord<String, Chunk>> lte = chunks.entrySet().stream()
                .filter(e -> e.getKey().startsWith("lte/")).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(sent).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(lte.keySet());
        assertThat(sent).allSatisfy(r -> {
            var chunk = lte.get(r.key());
            assertThat(r.value().getRevision()).isEqualTo(chunk.offset());
            assertThat(r.value().getTier()).isEqualTo(routing.tierFor(chunk.value().getComplexity()));
            assertThat(r.topic()).isEqualTo(Topics.requestTopic(r.value().getTier()));
        });
        assertThat(Drain.await(stack, Duration.ofMinutes(2), s -> { })).isNull();
    }

    @Test
    @Order(3)
    void deadLettersAreReDrivenNewestPerChunkUnlessTheChunkChangedSince() {
        // Given dead letters: two for chunk A (older and current revision), one for chunk B at an outdated revision
        var ctx = stack.context();
        // (A at an offset above 0, so that its older revision is really older)
        List<String> ids = new ArrayList<>(chunks.keySet());
        ids.sort((x, y) -> Long.compare(chunks.get(y).offset(), chunks.get(x).offset()));
        ConsumerRecord<String, Chunk> a = chunks.get(ids.get(0));
        ConsumerRecord<String, Chunk> b = chunks.get(ids.get(1));
        try (KafkaProducer<String, DeadLetter> p = new KafkaProducer<>(ctx.kafka().producer("test"),
                ctx.topics().deadLetters.keySerde().serializer(), ctx.topics().deadLetters.valueSerde().serializer())) {
            p.send(new ProducerRecord<>(Topics.GENERATION_DLQ, a.key(), deadLetter(a, a.offset(), "quality")));
            p.send(new ProducerRecord<>(Topics.GENERATION_DLQ, a.key(), deadLetter(a, a.offset() - 1, "fast")));
            p.send(new ProducerRecord<>(Topics.GENERATION_DLQ, b.key(), deadLetter(b, b.offset() - 1, "fast")));
        }

        // When the re-drive is planned
        ChunkReplay.Plan plan = new ChunkReplay(ctx, null, null).planDeadLetters();

        // Then chunk A's newest request goes again as it was; chunk B's is skipped (a newer revision exists)
        assertThat(plan.items()).extracting(ChunkReplay.Item::chunkId).containsExactly(a.key());
        assertThat(plan.items().get(0).request().getRevision()).isEqualTo(a.offset());
        assertThat(plan.items().get(0).request().getTier()).isEqualTo("quality");
        assertThat(plan.skipped()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void compactedTopicsKeepTombstonesForTheConfiguredTimeAlsoWhenCreatedEarlier() throws Exception {
        var ctx = stack.context();
        ConfigResource dataset = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DATASET_PAIRS);
        try (Admin admin = Admin.create(ctx.kafka().admin())) {
            assertThat(deleteRetention(admin, dataset)).isEqualTo(String.valueOf(168 * 3_600_000L));
            // Given a topic created earlier with the broker's default
            admin.incrementalAlterConfigs(Map.of(dataset, List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.DELETE_RETENTION_MS_CONFIG, "86400000"), AlterConfigOp.OpType.SET))))
                    .all().get();
            // When topics are ensured again (any start)
            TopicAdmin.ensureTopics(ctx.kafka(), ctx.topics());
            // Then it is brought in line
            assertThat(deleteRetention(admin, dataset)).isEqualTo(String.valueOf(168 * 3_600_000L));
        }
    }

    @Test
    @Order(5)
    void rescoreFollowsTheThresholdWithoutAnyGenerationAndExportSeesTheResult() throws Exception {
        // Given the processed dataset, plus two poor pairs (different from each other, so neither is the
        // other's duplicate) that scoring rejects at the default threshold
        ConsumerRecord<String, Chunk> chunk = chunks.values().iterator().next();
        try (KafkaProducer<String, QaPair> p = new KafkaProducer<>(ctx().kafka().producer("test"),
                ctx().topics().pairs.keySerde().serializer(), ctx().topics().pairs.valueSerde().serializer())) {
            for (int slot : new int[] {20, 21}) {
                String key = chunk.key() + "#" + slot;
                p.send(new ProducerRecord<>(Topics.GENERATION_PAIRS, key, QaPair.newBuilder().setPairKey(key)
                        .setChunkId(chunk.key()).setDocumentId(chunk.value().getDocumentId()).setSlot(slot)
                        .setQuestion(slot == 20 ? "tell me" : "and the weather today")
                        .setAnswer(slot == 20 ? "Yes." : "Mostly sunny with light rain.").setTier("fast").setBackend("test").setModel("test")
                        .setPromptVersion("test").setChunkChecksum(chunk.value().getChecksum()).setGeneratedAtMs(1L)
                        .setRevision(chunk.offset()).build()));
            }
        }
        assertThat(Drain.await(stack, Duration.ofMinutes(2), s -> { })).isNull();
        // and a person's acceptance of the first poor pair, against its scores
        String reviewedKey = chunk.key() + "#20";
        assertThat(datasetScores()).doesNotContainKey(reviewedKey);
        try (KafkaProducer<String, ReviewDecision> p = new KafkaProducer<>(ctx().kafka().producer("test"),
                ctx().topics().reviewDecisions.keySerde().serializer(),
                ctx().topics().reviewDecisions.valueSerde().serializer())) {
            p.send(new ProducerRecord<>(Topics.REVIEW_DECISIONS, reviewedKey, ReviewDecision.newBuilder()
                    .setPairKey(reviewedKey).setRevision(chunk.offset()).setPairFingerprint(PairFingerprint.of("tell me", "Yes."))
                    .setDecision(ReviewVerdict.ACCEPTED).setReviewer("ana").setDecidedAtMs(1L).build()));
        }
        assertThat(Drain.await(stack, Duration.ofMinutes(2), s -> { })).isNull();
        Map<String, Double> scores = datasetScores();
        assertThat(scores).containsKey(reviewedKey);
        Map<String, Long> pairRevisions = pairRevisions();
        Set<String> generated = livePairs();
        Map<String, Long> requests = requestEnds();
        stack.close();
        stack = null;
        assertThat(generated).as("fixtures yield rejected pairs").hasSizeGreaterThan(scores.size());

        // When the threshold is lowered to 0 and the pairs are re-scored
        Files.writeString(dir.resolve("lenient.yaml"), settings(0.0));
        assertThat(Main.run("rescore", "--config", dir.resolve("lenient.yaml").toString())).isZero();

        // Then every generated pair is in the dataset, and no generation happened (no request, no new revision)
        List<Object> after = withPlatform(() -> List.of(datasetScores(), requestEnds(), pairRevisions()));
        @SuppressWarnings("unchecked")
        Map<String, Double> lenient = (Map<String, Double>) after.get(0);
        assertThat(lenient.keySet()).containsExactlyInAnyOrderElementsOf(generated);
        assertThat(after.get(1)).isEqualTo(requests);
        assertThat(after.get(2)).isEqualTo(pairRevisions);
        assertThat(Files.readAllLines(dir.resolve("out/dataset.jsonl"))).hasSize(lenient.size());

        // When the threshold is raised back to 0.75
        assertThat(Main.run("rescore", "--config", dir.resolve("base.yaml").toString())).isZero();

        // Then the pairs below it leave again: the dataset is what it was, the pair a person accepted still in it
        assertThat(withPlatform(DatasetCommandsTest::datasetScores)).isEqualTo(scores);
        assertThat(Files.readAllLines(dir.resolve("out/dataset.jsonl"))).hasSize(scores.size());

        // and an export of that data dir holds them all, as the card says
        Path hf = dir.resolve("export-hf");
        assertThat(Main.run("export", "--format", "hf", "--config", dir.resolve("base.yaml").toString(),
                "--out", hf.toString())).isZero();
        String card = Files.readString(hf.resolve("README.md"));
        long total = 0;
        for (String line : card.split("\n")) {
            if (line.trim().startsWith("num_examples:")) {
                total += Long.parseLong(line.split(":")[1].trim());
            }
        }
        assertThat(total).isEqualTo(scores.size());
        assertThat(card).contains("| accepted as generated | 1 |");
        // and --reviewed-only exports the one pair a person accepted, saying so
        Path reviewed = dir.resolve("export-reviewed");
        assertThat(Main.run("export", "--format", "chat", "--reviewed-only", "--config",
                dir.resolve("base.yaml").toString(), "--out", reviewed.toString())).isZero();
        assertThat(Files.readAllLines(reviewed.resolve("dataset.jsonl"))).singleElement().asString()
                .contains("\"reviewed\":\"accepted\"", "tell me");
        // and a data dir with no data is an error that says so
        assertThat(Main.run("export", "--format", "chat", "--data-dir", dir.resolve("empty").toString(),
                "--out", dir.resolve("nothing").toString())).isEqualTo(2);
    }

    // ---- helpers

    private static DeadLetter deadLetter(ConsumerRecord<String, Chunk> chunk, long revision, String tier) {
        GenerationRequest request = GenerationRequest.newBuilder().setTier(tier).setChunk(chunk.value())
                .setRoutedAtMs(1L).setRevision(revision).build();
        return DeadLetter.newBuilder().setRequest(request).setReason("model server down").setAttempts(3)
                .setFailedAtMs(2L).build();
    }

    private static String deleteRetention(Admin admin, ConfigResource topic) throws Exception {
        return admin.describeConfigs(List.of(topic)).all().get().get(topic)
                .get(TopicConfig.DELETE_RETENTION_MS_CONFIG).value();
    }

    /** Runs a read against the data dir with the broker and registry started for it (no stack). */
    private static <T> T withPlatform(java.util.function.Supplier<T> read) {
        try (ClusterSession session = ClusterSession.open(config, ClusterSession.Need.BROKER)) {
            current = session;
            return read.get();
        } finally {
            current = null;
        }
    }

    private static ClusterSession current;

    private static dev.qastream.runtime.ServiceContext ctx() {
        return stack != null ? stack.context() : current.context();
    }

    private static Map<String, Double> datasetScores() {
        Map<String, Double> m = new TreeMap<>();
        TopicSnapshot.latest(ctx().kafka(), ctx().topics().dataset)
                .forEach((k, v) -> m.put(k, ((DatasetRecord) v).getQualityScore()));
        return m;
    }

    /** Keys of generation.pairs whose newest value is a pair, not a removal. */
    private static Set<String> livePairs() {
        Set<String> keys = new java.util.TreeSet<>();
        TopicSnapshot.latest(ctx().kafka(), ctx().topics().pairs).forEach((k, v) -> {
            if (!((QaPair) v).getRemoved()) {
                keys.add(k);
            }
        });
        return keys;
    }

    private static Map<String, Long> pairRevisions() {
        Map<String, Long> m = new TreeMap<>();
        TopicSnapshot.latest(ctx().kafka(), ctx().topics().pairs).forEach((k, v) -> m.put(k, ((QaPair) v).getRevision()));
        return m;
    }

    /** End offset of every partition of the request topics, as "topic-partition" -> offset. */
    private static Map<String, Long> requestEnds() {
        Map<String, Long> ends = new TreeMap<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(ctx().kafka().rawConsumer(null))) {
            for (String tier : Topics.TIERS) {
                var partitions = consumer.partitionsFor(Topics.requestTopic(tier)).stream()
                        .map(pi -> new org.apache.kafka.common.TopicPartition(pi.topic(), pi.partition())).toList();
                consumer.endOffsets(partitions).forEach((tp, end) -> ends.put(tp.toString(), end));
            }
        }
        return ends;
    }

    private static List<ConsumerRecord<String, GenerationRequest>> requestsSince(Map<String, Long> before) {
        List<ConsumerRecord<String, GenerationRequest>> out = new ArrayList<>();
        for (String tier : Topics.TIERS) {
            TopicSnapshot.records(ctx().kafka(), ctx().topics().request(tier)).stream()
                    .filter(r -> r.offset() >= before.get(r.topic() + "-" + r.partition())).forEach(out::add);
        }
        return out;
    }
}
