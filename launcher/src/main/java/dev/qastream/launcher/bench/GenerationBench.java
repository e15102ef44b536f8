package dev.qastream.launcher.bench;

import dev.qastream.llm.GenerationException;
import dev.qastream.generation.GenerationService;
import dev.qastream.llm.PairGenerator;
import dev.qastream.ingest.chunk.Chunker;
import dev.qastream.ingest.parse.DocumentParsers;
import dev.qastream.ingest.parse.UnreadableDocumentException;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.TermTiers;
import dev.qastream.simulator.LlmSimulator;
import dev.qastream.simulator.SimulatorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Generation throughput against the LLM simulator: N chunks (the corpus markdown through ingest's parser and
 * chunker, replicated; synthetic chunks when there is no corpus) sent as requests to the balanced tier, whose
 * real worker ({@link GenerationService} on the embedded broker) calls the simulator's Ollama API with K calls
 * in flight, on a simulator with K slots. Output lengths follow each chunk's facts, so calls differ in length.
 *
 * <p>Efficiency = ideal time / measured time, where ideal time is the simulator's busy slot time / K (every
 * slot busy from start to end) and measured time runs from the first request produced to the offsets of the
 * last request committed (with its pairs, in the same transaction). A last pass sends the same chunks again with
 * the prompt unchanged: every answer should come from the generation cache, with no model call.
 */
public final class GenerationBench {
    private static final String TIER = "balanced";
    private static final String MODEL = "qwen3:8b";

    private final Path corpus;
    private final Path workDir;
    private final int chunkCount;
    private final List<Integer> slots;
    private final int runs;
    private final double decodeTps;
    private final double prefillTps;
    private final PrintStream out;
    /** One producer for every pass: its serializer registers the request schema once, not per pass. */
    private KafkaProducer<String, GenerationRequest> producer;

    /** What one pass measured. */
    record Pass(double seconds, double idealSeconds, int calls, double pairs, double meanLatencyMs, double maxLatencyMs,
                double busyShare, double firstCallS, double afterLastCallS) {
        double efficiency() {
            return idealSeconds / seconds;
        }
    }

    public GenerationBench(Path corpus, Path workDir, int chunkCount, List<Integer> slots, int runs,
                           double decodeTps, double prefillTps, PrintStream out) {
        this.corpus = corpus;
        this.workDir = workDir;
        this.chunkCount = chunkCount;
        this.slots = List.copyOf(slots);
        this.runs = runs;
        this.decodeTps = decodeTps;
        this.prefillTps = prefillTps;
        this.out = out;
    }

    public void run() throws Exception {
        List<Chunk> source = sourceChunks();
        out.printf("corpus: %s%nsource_chunks: %d%nchunks: %d%ndecode_tps: %.0f%nprefill_tps: %.0f%nruns: %d%n",
                corpus == null ? "(synthetic)" : corpus, source.size(), chunkCount, decodeTps, prefillTps, runs);
        out.printf("load_average: %.2f%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Path data = workDir.resolve("data");
        IngestBench.deleteTree(data);
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(data)) {
            ServiceContext base = context(platform, data, Map.of());
            TopicAdmin.ensureTopics(base.kafka(), Topics.withPlainAvro());
            var topic = base.topics().request(TIER);
            producer = new KafkaProducer<>(base.kafka().producer("bench-generation"), topic.keySerde().serializer(),
                    topic.valueSerde().serializer());
            Map<Integer, List<Double>> efficiencies = new LinkedHashMap<>();
            List<Chunk> last = null;
            int lastK = slots.get(slots.size() - 1);
            double callsPerChunk = 0;
            // A first, unmeasured pass warms the JVM (JIT of the client, the worker, the serializers).
            pass(platform, data, lastK, replicate(source, "warmup"));
            for (int k : slots) {
                for (int r = 0; r < runs; r++) {
                    last = replicate(source, "k" + k + "-r" + r);
                    Pass p = pass(platform, data, k, last);
                    efficiencies.computeIfAbsent(k, x -> new ArrayList<>()).add(p.efficiency());
                    callsPerChunk = (double) p.calls() / chunkCount;
                    out.printf("k%d run %d: efficiency=%.3f wall_s=%.2f ideal_s=%.2f busy_first_to_last=%.3f "
                                    + "first_call_s=%.3f after_last_call_s=%.3f calls=%d pairs=%.0f latency_ms mean=%.0f max=%.0f load=%.2f%n",
                            k, r + 1, p.efficiency(), p.seconds(), p.idealSeconds(), p.busyShare(), p.firstCallS(),
                            p.afterLastCallS(), p.calls(), p.pairs(), p.meanLatencyMs(), p.maxLatencyMs(),
                            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                }
            }
            Pass replay = pass(platform, data, lastK, last);
            // The same calls without Kafka or the worker: K threads calling the generator back to back. What
            // they lose to the client, the HTTP exchange and the machine is lost by the worker too.
            Map<Integer, Double> direct = new LinkedHashMap<>();
            Map<Integer, Double> directFirst = new LinkedHashMap<>();
            for (int k : slots) {
                Pass d = direct(platform, data, k, replicate(source, "direct-k" + k));
                direct.put(k, d.efficiency());
                directFirst.put(k, d.firstCallS());
            }
            efficiencies.forEach((k, e) -> out.printf("efficiency_k%d: %.3f%n", k, IngestBench.median(e)));
            direct.forEach((k, e) -> out.printf("direct_efficiency_k%d: %.3f%n", k, e));
            directFirst.forEach((k, e) -> out.printf("direct_first_call_s_k%d: %.3f%n", k, e));
            out.printf("model_calls_per_chunk: %.3f%n", callsPerChunk);
            out.printf("replay_model_calls: %d%n", replay.calls());
            out.printf("replay_s: %.2f%n", replay.seconds());
        } finally {
            if (producer != null) {
                producer.close();
            }
            IngestBench.deleteTree(data);
        }
    }

    /** One pass of the chunks through a fresh generation service and a fresh simulator with k slots. */
    private Pass pass(EmbeddedPlatform platform, Path data, int k, List<Chunk> chunks) throws Exception {
        SimulatorConfig simConfig = SimulatorConfig.builder().slots(k).maxQueue(4 * k + 64)
                .decodeTps(decodeTps).prefillTps(prefillTps).build();
        try (LlmSimulator sim = LlmSimulator.start(simConfig)) {
            ServiceContext ctx = context(platform, data, Map.of(
                    "tiers." + TIER + ".backend", "ollama",
                    "tiers." + TIER + ".base-url", sim.baseUrl(),
                    "tiers." + TIER + ".model", MODEL,
                    "tiers." + TIER + ".max-concurrency", String.valueOf(k),
                    "generation.server-slots", String.valueOf(k)));
            GenerationService service = new GenerationService(ctx);
            try (Admin admin = Admin.create(ctx.kafka().admin())) {
                service.start();
                awaitAssigned(admin, GenerationService.groupId(TIER));
                // One request through first, so the measured pass starts with the worker fetching, not still
                // settling into its new group (positions, first fetch); its call is not counted.
                awaitCommitted(admin, GenerationService.groupId(TIER), send(ctx, replicate(chunks.subList(0, 1), 1, "primer")));
                sim.resetBusyMeasures();
                int callsBefore = sim.calls();
                double pairsBefore = pairs(ctx.meters());
                long t0 = System.nanoTime();
                Map<TopicPartition, Long> ends = send(ctx, chunks);
                awaitCommitted(admin, GenerationService.groupId(TIER), ends);
                long t1 = System.nanoTime();
                double seconds = (t1 - t0) / 1e9;
                double ideal = sim.busySlotNanos() / 1e9 / k;
                MeterRegistry m = ctx.meters();
                Timer latency = m.find("qastream.generation.latency").tag("tier", TIER).timer();
                double pairs = pairs(m) - pairsBefore;
                return new Pass(seconds, ideal, sim.calls() - callsBefore, pairs,
                        latency == null ? 0 : latency.mean(TimeUnit.MILLISECONDS),
                        latency == null ? 0 : latency.max(TimeUnit.MILLISECONDS),
                        sim.busyShare(), (sim.firstSlotNanos() - t0) / 1e9, (t1 - sim.lastReleaseNanos()) / 1e9);
            } finally {
                service.close();
            }
        }
    }

    private static double pairs(MeterRegistry m) {
        return m.find("qastream.generation.pairs").tag("tier", TIER).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** K threads calling the tier's generator back to back on the chunks, no Kafka: the client's own ceiling. */
    private Pass direct(EmbeddedPlatform platform, Path data, int k, List<Chunk> chunks) throws Exception {
        SimulatorConfig simConfig = SimulatorConfig.builder().slots(k).maxQueue(4 * k + 64)
                .decodeTps(decodeTps).prefillTps(prefillTps).build();
        try (LlmSimulator sim = LlmSimulator.start(simConfig)) {
            ServiceContext ctx = context(platform, data, Map.of(
                    "tiers." + TIER + ".backend", "ollama", "tiers." + TIER + ".base-url", sim.baseUrl(),
                    "tiers." + TIER + ".model", MODEL, "tiers." + TIER + ".max-concurrency", String.valueOf(k)));
            PairGenerator generator = GenerationService.generatorFor(ctx, TIER);
            ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>(chunks);
            ExecutorService pool = Executors.newFixedThreadPool(k);
            try {
                long t0 = System.nanoTime();
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    done.add(pool.submit(() -> {
                        for (Chunk c; (c = queue.poll()) != null; ) {
                            try {
                                generator.generate(c, TIER);
                            } catch (GenerationException e) {
                                // counted by the simulator like any call; the figure is about time
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                return new Pass(seconds, sim.busySlotNanos() / 1e9 / k, sim.calls(), 0, 0, 0, sim.busyShare(),
                        (sim.firstSlotNanos() - t0) / 1e9, 0);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static ServiceContext context(EmbeddedPlatform platform, Path data, Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(Map.of("data-dir", data.toString(),
                "tiers.fast.backend", "builtin", "tiers.quality.backend", "builtin"));
        all.putAll(overrides);
        Config config = Config.load(null).with(all);
        KafkaSettings kafka = new KafkaSettings(platform.bootstrapServers(), config);
        return ServiceContext.create(config, kafka, platform.registryApiUrl(), new SimpleMeterRegistry());
    }

    /** Sends one request per chunk; returns the next offset after the last request, per partition. */
    private Map<TopicPartition, Long> send(ServiceContext ctx, List<Chunk> chunks) throws Exception {
        var topic = ctx.topics().request(TIER);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        {
            long revision = 0;
            for (Chunk c : chunks) {
                GenerationRequest r = GenerationRequest.newBuilder().setTier(TIER).setChunk(c)
                        .setRoutedAtMs(System.currentTimeMillis()).setRevision(++revision).build();
                sent.add(producer.send(new ProducerRecord<>(topic.name(), c.getChunkId(), r)));
            }
            producer.flush();
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (Future<RecordMetadata> f : sent) {
            RecordMetadata md = f.get();
            ends.merge(new TopicPartition(md.topic(), md.partition()), md.offset() + 1, Math::max);
        }
        return ends;
    }

    /** Waits until the tier's group is stable with partitions assigned, so the measured time holds no group join. */
    private static void awaitAssigned(Admin admin, String group) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            ConsumerGroupDescription d;
            try {
                d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                }
                Thread.sleep(50); // the worker has not joined yet
                continue;
            }
            if (d.groupState() == GroupState.STABLE && d.members().stream()
                    .map(MemberDescription::assignment).anyMatch(a -> !a.topicPartitions().isEmpty())) {
                Thread.sleep(200); // the worker polls right after its assignment
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the " + group + " consumer group got no partitions in 2 minutes");
    }

    /** Waits until the group's committed offsets reach the given ones (checked every 5 ms). */
    private static void awaitCommitted(Admin admin, String group, Map<TopicPartition, Long> ends) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (System.nanoTime() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            if (ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                    && committed.get(e.getKey()).offset() >= e.getValue())) {
                return;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the generation requests were not all committed in 30 minutes");
    }

    /** The corpus's markdown through ingest's parser and chunker; synthetic chunks when there is no corpus. */
    private List<Chunk> sourceChunks() throws Exception {
        List<Chunk> chunks = new ArrayList<>();
        if (corpus != null) {
            Config base = Config.load(null);
            Chunker chunker = new Chunker(base.integer("ingest.max-tokens"), base.integer("ingest.overlap-tokens"));
            List<Path> files;
            try (Stream<Path> walk = Files.walk(corpus)) {
                files = walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".md")).sorted().toList();
            }
            for (Path f : files) {
                try {
                    chunks.addAll(chunker.chunk(DocumentParsers.parse(corpus.relativize(f).toString(), Files.readAllBytes(f))));
                } catch (UnreadableDocumentException e) {
                    out.printf("skipped %s: %s%n", f, e.getMessage());
                }
            }
        }
        if (chunks.isEmpty()) {
            for (int i = 0; i < 200; i++) {
                chunks.add(syntheticChunk(i));
            }
        }
        return chunks;
    }

    /** Parameter descriptions of varying length, so the simulated answers vary in length like real ones. */
    private static Chunk syntheticChunk(int i) {
        StringBuilder text = new StringBuilder("## Feature " + i + " parameters\n\n");
        for (int p = 0; p <= i % 7; p++) {
            text.append("EUtranCellFDD.bench").append(i).append("Param").append(p)
                    .append(" sets the timer of feature ").append(i).append(". The default value is ")
                    .append(10 * (p + 1)).append(" ms; valid values are 0 to ").append(1000 * (p + 1)).append(" ms.\n");
        }
        String id = "synthetic/feature-" + i + ".md#0";
        return Chunk.newBuilder().setChunkId(id).setDocumentId("synthetic/feature-" + i + ".md").setOrdinal(0)
                .setText(text.toString()).setChecksum(sha256(text.toString())).setTokenEstimate(text.length() / 4)
                .setComplexity(0.5).setDocument(DocumentInfo.newBuilder().build())
                .setTerms(TermTiers.newBuilder().build()).setQuality(ChunkQuality.newBuilder().build()).build();
    }

    /**
     * The source chunks repeated to N, each copy under its own id and with a checksum of its own (the cache key
     * is the checksum), so no pass is answered by another pass's cache entries.
     */
    private List<Chunk> replicate(List<Chunk> source, String tag) {
        return replicate(source, chunkCount, tag);
    }

    private static List<Chunk> replicate(List<Chunk> source, int chunkCount, String tag) {
        List<Chunk> chunks = new ArrayList<>(chunkCount);
        for (int i = 0; i < chunkCount; i++) {
            Chunk c = source.get(i % source.size());
            String prefix = tag + "-" + (i / source.size()) + "/";
            chunks.add(Chunk.newBuilder(c).setChunkId(prefix + c.getChunkId()).setDocumentId(prefix + c.getDocumentId())
                    .setChecksum(sha256(prefix + c.getChecksum())).build());
        }
        return chunks;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
