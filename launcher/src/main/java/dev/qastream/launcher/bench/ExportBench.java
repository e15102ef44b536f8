package dev.qastream.launcher.bench;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import dev.qastream.schemas.DatasetRecord;
import dev.qastream.sink.export.DatasetExport;
import dev.qastream.sink.export.ExportFormat;
import dev.qastream.sink.export.KeyedSpill;
import dev.qastream.sink.export.Split;
import dev.qastream.sink.export.TopicSpill;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Export of a synthetic dataset of N pairs (written to dataset.pairs on an embedded broker, with 10% of
 * the keys written twice so the export must dedupe) in each format: the wall time of read + spill + write
 * and the peak heap in use while it runs (sampled every 5 ms, after a GC before each run). The broker runs
 * in the same JVM, so the heap figure includes it: run with a small -Xmx to show the export stays flat.
 */
public final class ExportBench {
    private final Path workDir;
    private final int pairs;
    private final int rounds;
    private final List<ExportFormat> formats;
    private final PrintStream out;

    public ExportBench(Path workDir, int pairs, int rounds, List<ExportFormat> formats, PrintStream out) {
        this.workDir = workDir;
        this.pairs = pairs;
        this.rounds = rounds;
        this.formats = formats;
        this.out = out;
    }

    public void run() throws Exception {
        deleteTree(workDir);
        Path dataDir = workDir.resolve("data");
        Config config = Config.load(null).with(Map.of("data-dir", dataDir.toString()));
        out.printf("pairs: %d%nrounds: %d%nmax_heap_mb: %d%n", pairs, rounds, Runtime.getRuntime().maxMemory() >> 20);
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(dataDir)) {
            ServiceContext ctx = ServiceContext.create(config, new KafkaSettings(platform.bootstrapServers(), config),
                    platform.registryApiUrl(), new SimpleMeterRegistry());
            TopicAdmin.ensureTopics(ctx.kafka(), ctx.topics());
            long t0 = System.nanoTime();
            produce(ctx);
            out.printf("produce_s: %.1f%n", (System.nanoTime() - t0) / 1e9);
            for (ExportFormat format : formats) {
                List<Double> seconds = new ArrayList<>();
                List<Double> heaps = new ArrayList<>();
                List<Double> live = new ArrayList<>();
                long exported = 0;
                for (int round = 0; round < rounds; round++) {
                    System.gc();
                    HeapSampler sampler = new HeapSampler();
                    long start = System.nanoTime();
                    exported = export(ctx, config, format);
                    seconds.add((System.nanoTime() - start) / 1e9);
                    heaps.add(sampler.stop() / 1e6);
                    live.add(sampler.peakLive() / 1e6);
                }
                out.printf("export_%s_pairs: %d%n", format.cliName(), exported);
                out.printf("export_%s_s: %.1f (runs %s)%n", format.cliName(), median(seconds), fmt(seconds));
                out.printf("export_%s_peak_heap_mb: %.0f (runs %s)%n", format.cliName(), median(heaps), fmt(heaps));
                out.printf("export_%s_peak_live_heap_mb: %.0f (runs %s)%n", format.cliName(), median(live), fmt(live));
            }
        }
    }

    private long export(ServiceContext ctx, Config config, ExportFormat format) throws IOException {
        Path dir = workDir.resolve("out-" + format.cliName());
        try (KeyedSpill spill = KeyedSpill.create(workDir.resolve("spill"))) {
            TopicSpill.read(ctx.kafka(), Topics.DATASET_PAIRS, spill, s -> { });
            return DatasetExport.write(spill, ctx.topics().dataset.valueSerde().deserializer(), Topics.DATASET_PAIRS,
                    new DatasetExport.Options(format, dir, Split.Ratios.DEFAULT, false, config.string("export.name"),
                            config.string("export.license")), s -> { }).pairs();
        }
    }

    /** N pairs over N/100 documents of 25 chunks and 4 slots; then 10% of them again, as a re-generation would. */
    private void produce(ServiceContext ctx) {
        var topic = ctx.topics().dataset;
        try (KafkaProducer<String, DatasetRecord> producer = new KafkaProducer<>(ctx.kafka().producer("bench-export"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int i = 0; i < pairs; i++) {
                producer.send(new ProducerRecord<>(topic.name(), key(i), record(i, 1)));
            }
            for (int i = 0; i < pairs; i += 10) {
                producer.send(new ProducerRecord<>(topic.name(), key(i), record(i, 2)));
            }
            producer.flush();
        }
    }

    private static String key(int i) {
        return "feature_" + (i / 100) + ".md#" + (i / 4 % 25) + "#" + (i % 4);
    }

    private static DatasetRecord record(int i, long revision) {
        String param = "EUtranCellFDD.param" + (i % 997);
        return DatasetRecord.newBuilder()
                .setSystemPrompt("You are an expert in radio access network (RAN) features. Answer precisely, using the "
                        + "exact parameter names, values and units from the documentation.")
                .setQuestion("What is the default value of " + param + " and what does it control in feature " + (i / 100) + "?")
                .setAnswer("The default value of " + param + " is " + (i % 128) + " ms. It sets how long the eNodeB waits "
                        + "before it re-evaluates the uplink power boost for a UE whose RSRP is below the threshold.")
                .setFeatureName("Feature " + (i / 100)).setQualityScore(0.75 + (i % 25) / 100.0)
                .setTechnicalTerms(List.of(param, "eNodeB", "UE", "RSRP", "uplink"))
                .setSourceDocument("feature_" + (i / 100) + ".md").setChunkId("feature_" + (i / 100) + ".md#" + (i / 4 % 25))
                .setModel(i % 3 == 0 ? "qwen3:8b" : "qwen3:1.7b").setTier(i % 3 == 0 ? "balanced" : "fast")
                .setPromptVersion("qa-v2-3f9c1a").setTier1ExactParams(1).setTier2ConfigTerms(1)
                .setTier3NetworkElements(2).setTier4RareTerms(0).setRevision(revision).setQuestionType("parameter")
                .setGeneratedAtMs(1_700_000_000_000L + i).build();
    }

    /**
     * Peak heap in use, sampled every 5 ms on a daemon thread (garbage included, so it approaches -Xmx), and
     * peak live heap: the most in use right after any collection during the run (from GC notifications).
     */
    private static final class HeapSampler {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong peakLive = new AtomicLong();
        private volatile boolean running = true;
        private final Thread thread;
        private final List<Runnable> unsubscribe = new ArrayList<>();

        HeapSampler() {
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof javax.management.NotificationEmitter emitter) {
                    javax.management.NotificationListener listener = (n, h) -> {
                        if (n.getUserData() instanceof javax.management.openmbean.CompositeData cd) {
                            var info = com.sun.management.GarbageCollectionNotificationInfo.from(cd);
                            long after = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                                    .filter(e -> !e.getKey().contains("Metaspace") && !e.getKey().contains("Code")
                                            && !e.getKey().contains("Class"))
                                    .mapToLong(e -> e.getValue().getUsed()).sum();
                            peakLive.accumulateAndGet(after, Math::max);
                        }
                    };
                    emitter.addNotificationListener(listener, null, null);
                    unsubscribe.add(() -> {
                        try {
                            emitter.removeNotificationListener(listener);
                        } catch (javax.management.ListenerNotFoundException e) {
                            // already gone
                        }
                    });
                }
            }
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            thread = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
                while (running) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        long stop() throws InterruptedException {
            running = false;
            thread.join();
            unsubscribe.forEach(Runnable::run);
            return peak.get();
        }

        long peakLive() {
            return peakLive.get();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String fmt(List<Double> values) {
        return values.stream().map(v -> String.format("%.1f", v)).toList().toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
