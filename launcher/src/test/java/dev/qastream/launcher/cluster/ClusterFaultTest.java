package dev.qastream.launcher.cluster;

import dev.qastream.launcher.Drain;
import dev.qastream.launcher.Main;
import dev.qastream.launcher.Stack;
import dev.qastream.launcher.status.Snapshot;
import dev.qastream.launcher.status.StatusProbe;
import dev.qastream.generation.GenerationService;
import dev.qastream.runtime.Endpoints;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicSnapshot;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.platform.EmbeddedRegistry;
import dev.qastream.schemas.DatasetRecord;
import dev.qastream.simulator.LlmSimulator;
import dev.qastream.simulator.SimulatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline on a real three-node Kafka cluster (three broker+controller processes), topics made by
 * {@code ./pipeline topics create} with replication factor 3 and min.insync.replicas 2, the schema registry as its
 * own process, the LLM simulator as the model server for all three tiers, and each stage as its own JVM
 * ({@code ./pipeline service NAME}), generation twice (two workers per tier). The corpus arrives in waves while
 * faults hit, in this order: SIGKILL of one generation process with model calls in flight (the survivor must hold
 * every partition of every tier within 15 s; the killed one is started again later, while no call is in flight),
 * SIGKILL of one broker (brought back later), SIGKILL of scoring and then of the sink (each restarted), the inbox
 * unmounted (an empty folder in its place: nothing may be removed) while a large folder is added to it, ingest
 * SIGKILLed while it reads that folder once the inbox is back (restarted), and the registry killed and restarted.
 * The dataset must then equal, line for line and byte for byte, that of a fault-free run of the same corpus on the
 * embedded single-broker stack in this JVM (the dataset lines carry no timestamps), with no line twice, nothing on a
 * dead-letter topic, every document and chunk written once (one revision each) and never removed, and no more model
 * calls than the fault-free run's plus the calls in flight per tier when the worker died (the cache saves the rest).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ClusterFaultTest {
    private static final Logger log = LoggerFactory.getLogger(ClusterFaultTest.class);
    private static final Path FIXTURES = Path.of("src/test/resources/e2e/inbox");
    /** Each process's output, kept after the test for a look when it fails. */
    private static final Path LOGS = Path.of("target/cluster-fault-test");
    /** Starts that wait on processes run side by side (the common pool has one thread on two cores). */
    private static final java.util.concurrent.ExecutorService THREADS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cluster-fault-test");
        t.setDaemon(true);
        return t;
    });
    private static final List<String> TIERS = List.of("fast", "balanced", "quality");
    /** Calls a tier keeps in flight (tiers.*.max-concurrency): what one killed worker may have paid for and lost. */
    private static final int K = 2;
    /** A stage restarted after a SIGKILL has its work back well within Kafka's default session timeout (45 s). */
    private static final Duration RESUMED_WITHIN = Duration.ofSeconds(25);
    /**
     * A stage's JVM killed and started again commits new work within this: its start (the embedding model's load
     * for scoring) on a loaded 2-core machine included, still under the 45 s a dead member's session would hold
     * its partitions without the shorter session timeout.
     */
    private static final Duration RESTARTED_WITHIN = Duration.ofSeconds(40);
    /**
     * A killed generation worker's partitions are the survivor's once the dead member's session (10 s, the cluster's
     * group.consumer.session.timeout.ms) has ended and the survivor's next heartbeat (every 2 s) has taken them.
     */
    private static final Duration SURVIVOR_WITHIN = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void theDatasetOnAThreeBrokerClusterSurvivesKilledStagesABrokerAndTheRegistry() throws Exception {
        long t0 = System.nanoTime();
        Path clusterDir = dir.resolve("cluster");
        // Given a three-node cluster and the registry starting (separate processes) while the fault-free
        // reference runs on the embedded stack in this JVM
        CompletableFuture<KafkaCluster> clusterStart = CompletableFuture.supplyAsync(() -> KafkaCluster.start(clusterDir.resolve("kafka")), THREADS);
        CompletableFuture<EmbeddedRegistry> registryStart = CompletableFuture.supplyAsync(() -> EmbeddedRegistry.start(clusterDir.resolve("registry")), THREADS);
        CompletableFuture<Reference> referenceRun = CompletableFuture.supplyAsync(this::referenceRun, THREADS);
        List<AutoCloseable> toClose = new ArrayList<>();
        try {
            KafkaCluster cluster = clusterStart.join();
            toClose.add(cluster);
            EmbeddedRegistry registry = registryStart.join();
            toClose.add(() -> currentRegistry[0].close());
            currentRegistry[0] = registry;
            log.info("cluster {} and registry {} up at {} s", cluster.bootstrapServers(), registry.url(), seconds(t0));

            try (LlmSimulator model = LlmSimulator.start(simulator())) {
                Path inbox = clusterDir.resolve("inbox");
                Files.createDirectories(inbox);
                Config config = pipelineConfig(clusterDir, inbox, model).with(Map.of(
                        "kafka.bootstrap-servers", cluster.bootstrapServers(),
                        "registry.url", registry.url(),
                        "kafka.replication-factor", "3"));
                Path configFile = clusterDir.resolve("cluster.yaml");
                Files.writeString(configFile, config.toYaml());

                // When the topics are created by ./pipeline topics create
                assertThat(Main.run("topics", "create", "--config", configFile.toString())).isZero();
                // Then each has three replicas and needs two in sync
                assertTopicsReplicated(config);

                // A second generation process, with its own state folder (its cache store and Streams state are
                // locked by the process that opens them), shares every tier's partitions with the first.
                Path secondGenerationConfig = clusterDir.resolve("cluster-generation-2.yaml");
                Files.writeString(secondGenerationConfig, config.with(Map.of(
                        "data-dir", clusterDir.resolve("data-generation-2").toString())).toYaml());

                // When every stage starts as its own JVM, generation twice
                Map<String, ChildJvm> stages = new HashMap<>();
                List<CompletableFuture<ChildJvm>> starts = new ArrayList<>();
                for (String name : List.of("ingest", "generation", "generation-2", "scoring", "coverage", "sink")) {
                    String service = name.equals("generation-2") ? "generation" : name;
                    ChildJvm stage = new ChildJvm(service, name.equals("scoring") ? "384m" : "256m",
                            name.equals("generation-2") ? secondGenerationConfig : configFile, LOGS.resolve(name + ".log"));
                    stages.put(name, stage);
                    toClose.add(stage);
                    starts.add(CompletableFuture.supplyAsync(stage::start, THREADS));
                }
                starts.forEach(CompletableFuture::join);
                log.info("stages up at {} s", seconds(t0));

                KafkaSettings kafka = new KafkaSettings(cluster.bootstrapServers(), config);
                Admin admin = Admin.create(kafka.admin());
                toClose.add(admin);
                GenerationGroups generation = new GenerationGroups(admin);
                int partitions = kafka.partitions();
                try (StatusProbe probe = probe(config, cluster, registry)) {
                    // and both generation workers hold partitions of every tier before any document arrives
                    generation.await(h -> h.spreadOver(2, partitions), Duration.ofSeconds(60), "two workers per tier");
                    log.info("two generation workers per tier at {} s", seconds(t0));
                    // and the first documents arrive (once all are up: the worker is to die with calls in flight)
                    copyWave(inbox, 1);
                    GenerationGroups.Holders beforeKill = generation.await(h -> h.spreadOver(2, partitions),
                            Duration.ofSeconds(10), "two workers per tier");
                    // and one of the two generation workers is killed while model calls are in flight
                    int inFlight = awaitCallsInFlight(model);
                    stages.get("generation").kill();
                    long killedAtNs = System.nanoTime();
                    log.info("generation killed at {} s with {} model calls in flight", seconds(t0), inFlight);
                    assertThat(inFlight).isPositive();
                    copyWave(inbox, 2);
                    // Then the survivor holds every partition of every tier once the dead member's session ends
                    generation.await(h -> h.heldBySurvivorOf(beforeKill, partitions), SURVIVOR_WITHIN,
                            "the surviving worker holding every partition");
                    log.info("the surviving generation worker holds every partition {} s after the kill",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAtNs) / 1000.0);

                    // When one broker of three is killed while more documents arrive, and brought back later
                    cluster.kill(1);
                    long pairsWithoutBroker = probe.snapshot().pairs();
                    log.info("broker 2 killed at {} s ({} pairs)", seconds(t0), pairsWithoutBroker);
                    // Then work goes on without it
                    await(probe, s -> s.pairs() > pairsWithoutBroker, "progress without broker 2", RESUMED_WITHIN);
                    log.info("progress without broker 2 at {} s", seconds(t0));
                    CompletableFuture<Void> brokerBack = CompletableFuture.runAsync(() -> cluster.restart(1), THREADS);

                    // and scoring, then the sink, are killed while more documents arrive, each restarted
                    copyWave(inbox, 3);
                    long pairsBefore = probe.snapshot().pairs();
                    await(probe, s -> s.pairs() > pairsBefore, "pairs of wave 3");
                    long scoringCommitted = probe.snapshot().committed().getOrDefault("qastream-scoring", 0L);
                    stages.get("scoring").kill();
                    stages.get("scoring").start();
                    log.info("scoring restarted at {} s", seconds(t0));
                    stages.get("sink").kill();
                    stages.get("sink").start();
                    log.info("sink restarted at {} s", seconds(t0));
                    // Then both take their partitions back without waiting out the sessions of the processes that
                    // died (scoring commits again within the bound, its embedding model loaded), and catch up
                    await(probe, s -> s.committed().getOrDefault("qastream-scoring", 0L) > scoringCommitted,
                            "scoring to resume after its restart", RESTARTED_WITHIN);
                    await(probe, s -> s.scored() == s.pairs() && s.dataset() == s.accepted()
                                    && s.lag().getOrDefault("qastream-scoring", 1L) == 0 && s.lag().getOrDefault("qastream-sink", 1L) == 0,
                            "scoring and the sink to catch up after their restarts");

                    // When the killed generation worker is started again while no model call is in flight (a
                    // rebalance moving a call in flight could pay it twice, which is not the fault under test; a
                    // tier that never had work has no lag to report)
                    await(probe, s -> TIERS.stream().allMatch(t -> s.lag().getOrDefault(GenerationService.groupId(t), 0L) == 0)
                            && model.activeSlots() == 0, "generation to be idle");
                    CompletableFuture<ChildJvm> generationBack = CompletableFuture.supplyAsync(stages.get("generation")::start, THREADS);

                    // and the inbox is unmounted: an empty folder at its path while the drive (the real folder,
                    // moved aside) gains a large folder
                    Path datasetFile = clusterDir.resolve("out").resolve("dataset.jsonl");
                    Path unmounted = clusterDir.resolve("inbox-unmounted");
                    List<String> linesBefore = sortedLines(datasetFile);
                    long documentsBefore = probe.snapshot().documents();
                    long errorsBefore = probe.snapshot().ingestErrors();
                    swapFolders(inbox, unmounted, clusterDir.resolve("inbox-empty"));
                    log.info("inbox unmounted at {} s ({} documents, {} dataset lines)", seconds(t0), documentsBefore,
                            linesBefore.size());
                    // Then ingest refuses the empty folder, once, and removes nothing
                    await(probe, s -> s.ingestErrors() > errorsBefore, "ingest to refuse the empty inbox", RESUMED_WITHIN);
                    copyWave(unmounted, 5);
                    generationBack.join();
                    generation.await(h -> h.spreadOver(2, partitions), Duration.ofSeconds(60), "two workers per tier again");
                    log.info("generation worker back at {} s", seconds(t0));
                    Snapshot away = probe.snapshot();
                    assertThat(away.documents()).as("documents while the inbox is unmounted").isEqualTo(documentsBefore);
                    assertThat(sortedLines(datasetFile)).as("dataset lines while the inbox is unmounted").containsAll(linesBefore);

                    // When the inbox is mounted again with the large folder, and ingest is killed while reading it
                    long documentOffsets = committedEnd(admin, Topics.INGEST_DOCUMENTS);
                    Files.delete(inbox);
                    Files.move(unmounted, inbox);
                    long mountedAtNs = System.nanoTime();
                    awaitCommittedBeyond(admin, Topics.INGEST_DOCUMENTS, documentOffsets);
                    stages.get("ingest").kill();
                    long readBeforeKill = largeFolderDocuments(context(config));
                    log.info("ingest killed {} s after the inbox came back, {} of {} documents of the large folder written",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - mountedAtNs) / 1000.0, readBeforeKill,
                            FeatureDocs.LARGE_FOLDER_SIZE);
                    // Then it had written some of the folder, not all (the kill landed mid-read)
                    assertThat(readBeforeKill).as("large folder documents written before the kill")
                            .isPositive().isLessThan(FeatureDocs.LARGE_FOLDER_SIZE);
                    stages.get("ingest").start();
                    log.info("ingest restarted at {} s", seconds(t0));

                    // and the registry is killed while the last document arrives, then restarted on its port
                    ProcessHandle.of(registry.pid()).ifPresent(ProcessHandle::destroyForcibly);
                    copyWave(inbox, 4);
                    ChildJvm.sleep(3_000);
                    currentRegistry[0] = EmbeddedRegistry.start(clusterDir.resolve("registry"), port(registry.url()));
                    log.info("registry restarted at {} s", seconds(t0));
                    brokerBack.join();
                    log.info("broker 2 back at {} s", seconds(t0));
                    Reference reference = referenceRun.join();
                    log.info("reference run: {} dataset lines, {} model calls; done at {} s", reference.dataset().size(),
                            reference.calls(), seconds(t0));

                    // Then every stage finishes: all pairs scored, the dataset complete and equal to the reference's
                    Snapshot done = await(probe, s -> drained(s) && sortedLines(datasetFile).equals(reference.dataset()),
                            "the dataset of the reference run");
                    List<String> lines = sortedLines(datasetFile);
                    assertThat(lines).as("no line twice").doesNotHaveDuplicates();
                    assertThat(done.dataset()).isEqualTo(done.accepted()).isEqualTo(lines.size());
                    assertThat(done.deadLetters()).as("generation.dlq").isZero();
                    // and the only ingest errors are the refusals of the unmounted inbox
                    assertThat(done.ingestErrors()).as("ingest.errors").isPositive();
                    ServiceContext ctx = context(config);
                    assertThat(TopicSnapshot.records(ctx.kafka(), ctx.topics().errors)).as("ingest.errors").allSatisfy(e -> {
                        assertThat(String.valueOf(e.value().getPath())).isEqualTo(inbox.toString());
                        assertThat(String.valueOf(e.value().getReason())).contains("nothing is removed");
                    });
                    assertThat(done.stageDeadLetters().values()).as("stage dead letters").allMatch(n -> n == 0);
                    // and the topic holds the same records as the reference's, key for key
                    assertThat(comparable(datasetTopic(config))).isEqualTo(reference.records());
                    // and every document and chunk was written once, one revision each, none removed
                    assertWrittenOnce(ctx, reference);
                    // and no pair of the dataset was ever removed from dataset.pairs
                    assertThat(TopicSnapshot.records(ctx.kafka(), ctx.topics().dataset).stream()
                            .filter(r -> r.value() == null).map(ConsumerRecord::key))
                            .as("removals of dataset pairs").noneMatch(reference.records()::containsKey);
                    // and the killed worker's lost calls are the only ones paid twice
                    assertThat(model.calls()).isLessThanOrEqualTo(reference.calls() + K * TIERS.size());
                    assertThat(stages.values()).allMatch(ChildJvm::alive);
                    log.info("fault run done at {} s: {} lines, {} model calls (reference {})", seconds(t0),
                            lines.size(), model.calls(), reference.calls());
                } catch (AssertionError | RuntimeException e) {
                    // Where a stage that stopped moving was stuck: its threads, in its log.
                    stages.values().forEach(ChildJvm::dumpThreads);
                    throw e;
                }
            }
        } finally {
            for (int i = toClose.size() - 1; i >= 0; i--) {
                try {
                    toClose.get(i).close();
                } catch (Exception e) {
                    log.warn("closing: {}", e.toString());
                }
            }
            clusterStart.thenAccept(KafkaCluster::close);
            registryStart.thenAccept(EmbeddedRegistry::close);
            referenceRun.exceptionally(e -> null).join();
            log.info("test wall time {} s", seconds(t0));
        }
    }

    private final EmbeddedRegistry[] currentRegistry = new EmbeddedRegistry[1];

    private record Reference(List<String> dataset, Map<String, String> records, int calls, Set<String> chunkIds) {
    }

    /** The same corpus on the embedded single-broker stack with its own simulator, no faults. */
    private Reference referenceRun() {
        try {
            return referenceRunOnce();
        } catch (Exception e) {
            throw new IllegalStateException("the reference run failed", e);
        }
    }

    private Reference referenceRunOnce() throws Exception {
        Path root = dir.resolve("reference");
        Path inbox = root.resolve("inbox");
        Files.createDirectories(inbox);
        for (int wave = 1; wave <= 5; wave++) {
            copyWave(inbox, wave);
        }
        try (LlmSimulator model = LlmSimulator.start(simulator());
             Stack stack = Stack.start(pipelineConfig(root, inbox, model))) {
            stack.ingest().scanUntilSettled();
            assertThat(Drain.await(stack, Duration.ofMinutes(2), s -> { })).isNull();
            Map<String, String> records = comparable(TopicSnapshot.latest(stack.context().kafka(),
                    stack.context().topics().dataset));
            Set<String> chunkIds = new TreeSet<>(TopicSnapshot.latest(stack.context().kafka(), stack.context().topics().chunks).keySet());
            return new Reference(sortedLines(root.resolve("out").resolve("dataset.jsonl")), records, model.calls(), chunkIds);
        }
    }

    /** Every call takes a little while, so a worker killed has calls in flight. */
    private static SimulatorConfig simulator() {
        return SimulatorConfig.builder().slots(4).decodeTps(600).build();
    }

    private static Config pipelineConfig(Path root, Path inbox, LlmSimulator model) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "data-dir", root.resolve("data").toString(),
                "inbox", inbox.toString(),
                "out", root.resolve("out").toString(),
                "http.port", "0",
                "ingest.settle-ms", "200",
                "ingest.max-tokens", "160",
                "ingest.overlap-tokens", "0",
                "generation.retry-backoff-ms", "50",
                // a killed worker's open transaction holds read_committed readers back until the broker aborts it
                "generation.transaction-timeout-ms", "10000",
                // one generation pass: the calls compared are of that pass
                "coverage.max-rounds", "0"));
        for (String tier : TIERS) {
            settings.put("tiers." + tier + ".backend", "ollama");
            settings.put("tiers." + tier + ".base-url", model.baseUrl());
            settings.put("tiers." + tier + ".max-concurrency", String.valueOf(K));
        }
        return Config.load(null, Map.of()).with(settings);
    }

    private static void assertTopicsReplicated(Config config) throws Exception {
        KafkaSettings kafka = new KafkaSettings(config.string("kafka.bootstrap-servers"), config);
        try (Admin admin = Admin.create(kafka.admin())) {
            List<String> names = List.of(Topics.INGEST_CHUNKS, Topics.GENERATION_PAIRS, Topics.SCORING_SCORED, Topics.DATASET_PAIRS);
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
            assertThat(topics.values()).allSatisfy(d -> assertThat(d.partitions())
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(3)));
            var configs = admin.describeConfigs(names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList())
                    .all().get();
            assertThat(configs.values()).allSatisfy(c -> assertThat(c.get("min.insync.replicas").value()).isEqualTo("2"));
        }
    }

    private static StatusProbe probe(Config config, KafkaCluster cluster, EmbeddedRegistry registry) {
        ServiceContext ctx = ServiceContext.create(config, new KafkaSettings(cluster.bootstrapServers(), config),
                Endpoints.ofCluster(config).registryApiUrl(), new SimpleMeterRegistry());
        return new StatusProbe(ctx, "cluster", List.of());
    }

    private static Map<String, DatasetRecord> datasetTopic(Config config) {
        ServiceContext ctx = context(config);
        return TopicSnapshot.latest(ctx.kafka(), ctx.topics().dataset);
    }

    private static ServiceContext context(Config config) {
        return ServiceContext.create(config, new KafkaSettings(config.string("kafka.bootstrap-servers"), config),
                Endpoints.ofCluster(config).registryApiUrl(), new SimpleMeterRegistry());
    }

    /**
     * Every document and every chunk written once on ingest.documents and ingest.chunks: one record each, so one
     * revision each (a chunk's revision is its offset), none of them a removal; the chunks those of the reference.
     */
    private static void assertWrittenOnce(ServiceContext ctx, Reference reference) {
        List<ConsumerRecord<String, dev.qastream.schemas.DocumentRecord>> documents = TopicSnapshot.records(ctx.kafka(), ctx.topics().documents);
        List<ConsumerRecord<String, dev.qastream.schemas.Chunk>> chunks = TopicSnapshot.records(ctx.kafka(), ctx.topics().chunks);
        assertThat(documents.stream().filter(r -> r.value() == null).map(ConsumerRecord::key)).as("removals on ingest.documents").isEmpty();
        assertThat(chunks.stream().filter(r -> r.value() == null).map(ConsumerRecord::key)).as("removals on ingest.chunks").isEmpty();
        assertThat(documents.stream().map(ConsumerRecord::key).toList()).as("documents written twice").doesNotHaveDuplicates();
        assertThat(chunks.stream().map(ConsumerRecord::key).toList()).as("chunks written twice").doesNotHaveDuplicates();
        assertThat(new TreeSet<>(chunks.stream().map(ConsumerRecord::key).toList())).isEqualTo(reference.chunkIds());
    }

    /** Documents of the large folder on ingest.documents (committed). */
    private static long largeFolderDocuments(ServiceContext ctx) {
        return TopicSnapshot.records(ctx.kafka(), ctx.topics().documents).stream()
                .filter(r -> r.value() != null && r.key().startsWith(FeatureDocs.LARGE_FOLDER))
                .map(ConsumerRecord::key).distinct().count();
    }

    /** The sum of a topic's last stable offsets: what read_committed readers see, up to the first open transaction. */
    private static long committedEnd(Admin admin, String topic) throws Exception {
        int count = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < count; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().values()
                .stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }

    /** Polls closely: the first commit of a read is the moment to kill ingest while the rest is still being read. */
    private static void awaitCommittedBeyond(Admin admin, String topic, long offsets) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (committedEnd(admin, topic) <= offsets) {
            assertThat(System.nanoTime()).as("waiting for a commit on %s", topic).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** {@code folder} moves to {@code aside} and an empty folder takes its place, as when a drive is unmounted. */
    private static void swapFolders(Path folder, Path aside, Path empty) throws IOException {
        Files.createDirectories(empty);
        Files.move(folder, aside);
        Files.move(empty, folder);
    }

    /** Pair key to the record's bytes (below), removals left out. */
    private static Map<String, String> comparable(Map<String, DatasetRecord> dataset) {
        Map<String, String> byKey = new java.util.TreeMap<>();
        dataset.forEach((key, record) -> {
            if (record != null) {
                byKey.put(key, withoutTimestamp(record));
            }
        });
        return byKey;
    }

    /**
     * The record's Avro bytes, as hex, without its metadata of time and place: when the pair was generated, and the
     * chunk's revision, which is its offset on ingest.chunks and so depends on when each document arrived.
     */
    private static String withoutTimestamp(DatasetRecord r) {
        try {
            DatasetRecord copy = DatasetRecord.newBuilder(r).setGeneratedAtMs(0L).setRevision(0L).build();
            return java.util.HexFormat.of().formatHex(copy.toByteBuffer().array());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls the simulator closely: with calls of about half a second, the window is short. */
    private static int awaitCallsInFlight(LlmSimulator model) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int n;
        while ((n = model.activeSlots()) == 0) {
            assertThat(System.nanoTime()).as("waiting for a model call in flight").isLessThan(deadline);
            Thread.sleep(5);
        }
        return n;
    }

    private static boolean drained(Snapshot s) {
        return s.pairs() > 0 && s.scored() == s.pairs() && s.dataset() == s.accepted()
                && s.lag().values().stream().allMatch(n -> n == 0);
    }

    private static Snapshot await(StatusProbe probe, Predicate<Snapshot> done, String what) throws InterruptedException {
        return await(probe, done, what, Duration.ofSeconds(150));
    }

    private static Snapshot await(StatusProbe probe, Predicate<Snapshot> done, String what, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Snapshot s = probe.snapshot();
        long lastReport = System.nanoTime();
        while (!done.test(s)) {
            assertThat(System.nanoTime()).as("waiting for %s; last: %s", what, s).isLessThan(deadline);
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                log.info("waiting for {}: chunks {} pairs {} scored {} accepted {} dataset {} lag {}", what, s.chunks(),
                        s.pairs(), s.scored(), s.accepted(), s.dataset(), s.lag());
                lastReport = System.nanoTime();
            }
            Thread.sleep(300);
            s = probe.snapshot();
        }
        return s;
    }

    private static List<String> sortedLines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).sorted().toList() : List.of();
        } catch (IOException e) {
            return List.of(); // being rewritten: read again on the next poll
        }
    }

    private static int port(String url) {
        return java.net.URI.create(url).getPort();
    }

    private static long seconds(long t0) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    }

    /** Wave 1: the launcher's fixture documents; waves 2 to 4: feature documents written here; 5: the large folder. */
    private static void copyWave(Path inbox, int wave) throws IOException {
        if (wave == 5) {
            for (FeatureDocs.Doc doc : FeatureDocs.largeFolder()) {
                Files.createDirectories(inbox.resolve(doc.fileName()).getParent());
                Files.writeString(inbox.resolve(doc.fileName()), doc.text());
            }
            return;
        }
        if (wave == 1) {
            try (Stream<Path> files = Files.walk(FIXTURES)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Path target = inbox.resolve(FIXTURES.relativize(f).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target);
                }
            }
            return;
        }
        for (FeatureDocs.Doc doc : FeatureDocs.wave(wave)) {
            Files.writeString(inbox.resolve(doc.fileName()), doc.text());
        }
    }
}
