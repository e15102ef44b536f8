package dev.qastream.scoring;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.qastream.llm.PromptTemplate;
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
import dev.qastream.scoring.judge.JudgeService;
import dev.qastream.simulator.LlmSimulator;
import dev.qastream.simulator.SimulatorConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a real broker and registry, with the simulator as the judge's model server: the judge is a stage of its own,
 * so a slow judge holds no stream thread and no transaction, and every pair is still scored once, with its verdict.
 */
class JudgeStageTest {
    private static final int JUDGE_SECONDS = 12; // longer than Streams' 10 s transaction: a judge on the thread would show
    private static final List<String[]> QA = List.of(
            new String[]{"What is the default value of EUtranCellFDD.ulPowerBoostEnabled?",
                    "The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled)."},
            new String[]{"What is the valid range of EUtranCellFDD.ulPowerBoostRsrpThreshold?",
                    "EUtranCellFDD.ulPowerBoostRsrpThreshold takes values from -140 to -44 dBm."},
            new String[]{"What is the default value of EUtranCellFDD.ulPowerBoostMaxOffset?",
                    "The default value of EUtranCellFDD.ulPowerBoostMaxOffset is 3 dB."},
            new String[]{"How often does the eNodeB evaluate the RSRP for the uplink power boost?",
                    "The eNodeB evaluates the RSRP every 200 ms."});

    @TempDir
    static Path dir;
    static EmbeddedPlatform platform;
    static LlmSimulator slowJudge;

    @BeforeAll
    static void start() throws Exception {
        platform = EmbeddedPlatform.start(dir.resolve("platform"));
        // Prompt tokens at a rate that makes one judgement take about JUDGE_SECONDS; a slot per pair.
        PromptTemplate prompt = PromptTemplate.load(LlmJudge.PROMPT_ID, "");
        String user = prompt.userMessage(Fixtures.chunk(), Map.of("question", QA.get(0)[0], "answer", QA.get(0)[1]));
        double tokens = (prompt.system().length() + user.length() + 3) / 4.0;
        slowJudge = LlmSimulator.start(SimulatorConfig.builder().slots(QA.size()).prefillTps(tokens / JUDGE_SECONDS).build());
        MiniLmEmbedder.shared().embed(List.of("warm up")); // the model loads once per JVM: not inside the measurement
    }

    @AfterAll
    static void stop() {
        slowJudge.close();
        platform.close();
    }

    @Test
    void aSlowJudgeHoldsNoStreamThreadAndEveryPairIsScoredOnceWithItsVerdict() throws Exception {
        // Given scoring with a judge that takes JUDGE_SECONDS a call, enough judge calls in flight for every pair
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ServiceContext ctx = ctx(dir.resolve("slow"), meters, Map.of(
                "scoring.judge.enabled", "true",
                "scoring.judge.tier", "quality",
                "scoring.judge.concurrency", String.valueOf(QA.size()),
                "scoring.batch.pairs", "1", // a stream-thread call embeds one pair: what is measured is the judge's part
                "tiers.quality.backend", "ollama",
                "tiers.quality.base-url", slowJudge.baseUrl(),
                "tiers.quality.model", "qwen3:8b",
                "tiers.quality.timeout-s", "90"));
        TopicAdmin.ensureTopics(ctx.kafka(), ctx.topics());
        List<QaPair> pairs = new ArrayList<>();
        for (int i = 0; i < QA.size(); i++) {
            pairs.add(Fixtures.pair(i, QA.get(i)[0], QA.get(i)[1]));
        }
        send(ctx, Fixtures.chunk(), pairs);
        FencingLog fencing = FencingLog.attach();
        try (ScoringService scoring = new ScoringService(ctx);
             JudgeService judge = new JudgeService(ctx);
             StreamThreadWatch watch = new StreamThreadWatch(scoring, meters)) {
            // When scoring runs, with the judge stage beside it
            scoring.start();
            judge.start();
            watch.start();
            awaitTrue("every pair scored", () -> scored(ctx).stream().map(ConsumerRecord::key)
                    .filter(k -> k.startsWith("lte/boost.md#")).distinct().count() == QA.size());
            Thread.sleep(1_000); // a second write of a pair would show by now
            watch.stop();
            System.out.printf("stream threads while the judge worked: longest process %.1f ms, punctuation %.1f ms%n",
                    watch.maxProcessMs, watch.maxPunctuateMs);

            // Then each pair is written once, with the judge's score mixed in
            List<ConsumerRecord<String, ScoredPair>> out = scored(ctx).stream()
                    .filter(r -> r.key().startsWith("lte/boost.md#")).toList();
            Map<String, List<ScoredPair>> byKey = out.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                    Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
            Map<String, Double> expected = judgedAtOnce(pairs);
            assertThat(byKey).hasSize(QA.size()).allSatisfy((key, written) -> {
                assertThat(written).as(key).hasSize(1);
                assertThat(written.get(0).getJudge()).as(key + " " + written.get(0).getReasons()).isEqualTo(expected.get(key));
                assertThat(written.get(0).getReasons()).noneMatch(r -> r.startsWith("judge unavailable"));
            });
            // And no stream thread waited on the model: no call took a second, no transaction ran out, no one fenced
            assertThat(watch.meters).as("stream thread latency meters").isNotEmpty();
            assertThat(watch.maxProcessMs).as("longest process call of a stream thread (ms)").isLessThan(1000);
            assertThat(watch.maxPunctuateMs).as("longest punctuation of a stream thread (ms)").isLessThan(1000);
            assertThat(watch.leftRunning).as("states after RUNNING").isEmpty();
            assertThat(fencing.seen).as("fencing in the log").isEmpty();
        } finally {
            fencing.detach();
        }
    }

    @Test
    void pairsWaitingForTheJudgeOutliveARestartAndAJudgeWhoseServerIsDownLetsThemGoWithoutIt() throws Exception {
        // Given scoring with a judge whose model server does not listen, and no judge stage running yet
        int deadPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        Map<String, String> judgeDown = Map.of(
                "scoring.judge.enabled", "true",
                "tiers.quality.backend", "ollama",
                "tiers.quality.base-url", "http://127.0.0.1:" + deadPort,
                "tiers.quality.model", "qwen3:8b");
        ServiceContext first = ctx(dir.resolve("down-1"), new SimpleMeterRegistry(), judgeDown);
        TopicAdmin.ensureTopics(first.kafka(), first.topics());
        Chunk chunk = Fixtures.chunk("lte/down.md", "d0d0", Fixtures.TEXT, Fixtures.chunk().getParameters());
        List<QaPair> pairs = List.of(Fixtures.pair("lte/down.md", "d0d0", 0, QA.get(0)[0], QA.get(0)[1]),
                Fixtures.pair("lte/down.md", "d0d0", 1, QA.get(1)[0], QA.get(1)[1]));
        send(first, chunk, pairs);
        try (ScoringService scoring = new ScoringService(first)) {
            scoring.start();
            // When the pairs wait for their verdicts (requests written, committed with the store that keeps them)
            awaitTrue("requests for both pairs", () -> TopicSnapshot.records(first.kafka(), first.topics().judgeRequests)
                    .stream().filter(r -> r.key().startsWith("lte/down.md#")).count() == pairs.size());
        }
        assertThat(ofDocument(scored(first), "lte/down.md")).as("nothing written while the pairs wait").isEmpty();

        // and scoring restarts elsewhere (an empty state folder) with the judge stage beside it
        ServiceContext second = ctx(dir.resolve("down-2"), new SimpleMeterRegistry(), judgeDown);
        try (ScoringService scoring = new ScoringService(second); JudgeService judge = new JudgeService(second)) {
            scoring.start();
            judge.start();
            awaitTrue("both pairs scored", () -> ofDocument(scored(second), "lte/down.md").size() == pairs.size());
            Thread.sleep(1_000);
        }
        // Then each pair is written once, scored without the judge, and says why
        List<ScoredPair> out = ofDocument(scored(second), "lte/down.md");
        assertThat(out).hasSize(pairs.size()).allSatisfy(p -> {
            assertThat(p.getJudge()).isNull();
            assertThat(p.getReasons()).last().asString().startsWith("judge unavailable: ").containsIgnoringCase("connect");
        });
        assertThat(out).extracting(p -> p.getPair().getPairKey()).doesNotHaveDuplicates();
    }

    /** The judge's scores of these pairs, from a simulator like the slow one but without its latency. */
    private static Map<String, Double> judgedAtOnce(List<QaPair> pairs) throws java.io.IOException {
        try (LlmSimulator quick = LlmSimulator.start(SimulatorConfig.builder().build())) {
            Config config = Config.load(null).with(Map.of("tiers.quality.backend", "ollama",
                    "tiers.quality.base-url", quick.baseUrl(), "tiers.quality.model", "qwen3:8b"));
            PairJudge judge = LlmJudge.forTier(config, "quality", Map.of(), w -> { throw new AssertionError(w); });
            Map<String, Double> scores = new HashMap<>();
            pairs.forEach(p -> scores.put(p.getPairKey(), judge.judge(p, Fixtures.chunk()).orElseThrow()));
            return scores;
        }
    }

    private static List<ScoredPair> ofDocument(List<ConsumerRecord<String, ScoredPair>> records, String documentId) {
        return records.stream().filter(r -> r.key().startsWith(documentId + "#")).map(ConsumerRecord::value).toList();
    }

    private static ServiceContext ctx(Path dataDir, MeterRegistry meters, Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("data-dir", dataDir.toString());
        Config config = Config.load(null).with(all);
        return ServiceContext.create(config, new KafkaSettings(platform.bootstrapServers(), config),
                platform.registryApiUrl(), meters);
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
        long deadline = System.nanoTime() + 150_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(250);
        }
    }

    /**
     * Samples the app's state and its stream threads' longest process and punctuate calls (Kafka Streams' thread
     * metrics, a per-record mean per loop iteration, kept for a minute) every 100 ms.
     */
    private static final class StreamThreadWatch implements AutoCloseable {
        private final ScoringService scoring;
        private final MeterRegistry registry;
        private final Thread thread = new Thread(this::run, "stream-thread-watch");
        private final AtomicBoolean running = new AtomicBoolean(true);
        final List<String> meters = new ArrayList<>();
        final List<KafkaStreams.State> leftRunning = new ArrayList<>();
        volatile double maxProcessMs;
        volatile double maxPunctuateMs;
        private boolean wasRunning;

        StreamThreadWatch(ScoringService scoring, MeterRegistry registry) {
            this.scoring = scoring;
            this.registry = registry;
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (running.get()) {
                sample();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private synchronized void sample() {
            KafkaStreams.State state = scoring.state();
            if (state == KafkaStreams.State.RUNNING) {
                wasRunning = true;
            } else if (wasRunning) {
                leftRunning.add(state);
            }
            for (Meter m : registry.getMeters()) {
                String name = m.getId().getName();
                if (!(m instanceof Gauge g) || !name.startsWith("kafka.stream.thread.")) {
                    continue;
                }
                double v = g.value();
                if (Double.isNaN(v)) {
                    continue;
                }
                if (name.endsWith("process.latency.max")) {
                    maxProcessMs = Math.max(maxProcessMs, v);
                    remember(name);
                } else if (name.endsWith("punctuate.latency.max")) {
                    maxPunctuateMs = Math.max(maxPunctuateMs, v);
                    remember(name);
                }
            }
        }

        private void remember(String name) {
            if (!meters.contains(name)) {
                meters.add(name);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(2_000);
            sample();
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    /** Log lines that tell of a fenced producer or a transaction that ran out. */
    private static final class FencingLog extends AppenderBase<ILoggingEvent> {
        private static final List<String> SIGNS = List.of("ProducerFenced", "InvalidProducerEpoch", "TaskMigrated",
                "transaction timeout", "fenced");
        final Queue<String> seen = new ConcurrentLinkedQueue<>();

        static FencingLog attach() {
            FencingLog log = new FencingLog();
            log.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
            log.start();
            root().addAppender(log);
            return log;
        }

        void detach() {
            root().detachAppender(this);
            stop();
        }

        private static Logger root() {
            return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        }

        @Override
        protected void append(ILoggingEvent e) {
            String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(e.getThrowableProxy()));
            if (SIGNS.stream().anyMatch(text::contains)) {
                seen.add(e.getLoggerName() + ": " + e.getFormattedMessage());
            }
        }
    }
}
