package dev.qastream.launcher.bench;

import dev.qastream.generation.CacheKey;
import dev.qastream.generation.worker.CacheView;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import dev.qastream.schemas.CachedPair;
import dev.qastream.schemas.GenerationCacheEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The generation service's view of the cache topic at scale: N entries of realistic size (5 pairs of ~200
 * characters of question and answer) written to generation.cache on an embedded platform, then a fresh
 * {@link CacheView} follows the topic: time to catch up, lookups per second, heap in use after a GC and the
 * process RSS. The broker runs in this JVM, so the heap and RSS figures include it; the view's own share is
 * estimated as the heap after a GC with the view caught up minus the same before it was started.
 */
public final class CacheBench {
    private static final String MODEL = "qwen3:8b";
    private static final String PARAMETERS = "temperature=0.7;max-output-tokens=2048;pairs-target=5";

    private final Path workDir;
    private final int entries;
    private final int lookups;
    private final PrintStream out;

    public CacheBench(Path workDir, int entries, int lookups, PrintStream out) {
        this.workDir = workDir;
        this.entries = entries;
        this.lookups = lookups;
        this.out = out;
    }

    public void run() throws Exception {
        deleteTree(workDir);
        Path dataDir = workDir.resolve("data");
        Config config = Config.load(null).with(Map.of("data-dir", dataDir.toString()));
        out.printf("entries: %d%nmax_heap_mb: %d%n", entries, Runtime.getRuntime().maxMemory() >> 20);
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(dataDir)) {
            ServiceContext ctx = ServiceContext.create(config, new KafkaSettings(platform.bootstrapServers(), config),
                    platform.registryApiUrl(), new SimpleMeterRegistry());
            TopicAdmin.ensureTopics(ctx.kafka(), ctx.topics());
            long t0 = System.nanoTime();
            long bytes = produce(ctx);
            out.printf("produce_s: %.1f%n", (System.nanoTime() - t0) / 1e9);
            out.printf("entry_avro_bytes_avg: %d%n", bytes / entries);

            long heapBefore = heapAfterGc();
            long rssBefore = rssKb();
            out.printf("heap_after_gc_before_view_mb: %.0f%n", heapBefore / 1e6);
            out.printf("rss_before_view_mb: %.0f%n", rssBefore / 1e3);
            long start = System.nanoTime();
            long processCpuStart = ThreadCpu.processCpu();
            try (CacheView view = new CacheView(ctx.kafka(), ctx.topics().cache)) {
                if (!view.awaitCaughtUp(Duration.ofMinutes(30))) {
                    throw new IllegalStateException("the cache view did not catch up");
                }
                out.printf("catch_up_s: %.1f%n", (System.nanoTime() - start) / 1e9);
                // CPU, not wall time, is what a shared or busy machine does not distort.
                out.printf("catch_up_process_cpu_s: %.1f%n", (ThreadCpu.processCpu() - processCpuStart) / 1e9);
                out.printf("catch_up_view_thread_cpu_s: %.1f%n", threadCpuSeconds("generation-cache-view"));
                out.printf("entries_in_view: %d%n", view.size());
                out.printf("view_disk_mb: %.0f%n", folderBytes(view.folder()) / 1e6);
                lookupRound(view, "lookups_warmup_per_s");
                lookupRound(view, "lookups_per_s");
                long heapAfter = heapAfterGc();
                out.printf("heap_after_gc_mb: %.0f%n", heapAfter / 1e6);
                out.printf("view_retained_heap_mb: %.0f (heap after GC with the view minus before it)%n",
                        (heapAfter - heapBefore) / 1e6);
                out.printf("rss_mb: %.0f%n", rssKb() / 1e3);
            }
        }
    }

    /** Random lookups, 9 in 10 of present keys, on one thread: lookups per second (keys hashed beforehand). */
    private void lookupRound(CacheView view, String name) {
        SplittableRandom random = new SplittableRandom(42);
        String[] keys = new String[lookups];
        for (int i = 0; i < lookups; i++) {
            int n = random.nextInt(entries);
            keys[i] = random.nextInt(10) == 0 ? CacheKey.of("absent-" + n, "ollama", MODEL, "qa-v1", PARAMETERS) : key(n);
        }
        int hits = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (String key : keys) {
            GenerationCacheEntry entry = view.get(key);
            if (entry != null && entry.getPairs().size() == 5) {
                hits++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        out.printf("%s: %.0f (%d lookups, %d hits; per CPU second of the calling thread: %.0f)%n",
                name, lookups / seconds, lookups, hits, lookups / cpuSeconds);
    }

    private static double threadCpuSeconds(String threadName) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(threadName))
                .mapToLong(t -> threads.getThreadCpuTime(t.threadId())).filter(ns -> ns > 0).sum() / 1e9;
    }

    private long produce(ServiceContext ctx) {
        var topic = ctx.topics().cache;
        long bytes = 0;
        var plain = dev.qastream.runtime.serde.PlainAvroSerde.of(GenerationCacheEntry.class).serializer();
        try (KafkaProducer<String, GenerationCacheEntry> producer = new KafkaProducer<>(ctx.kafka().producer("bench-cache"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int i = 0; i < entries; i++) {
                GenerationCacheEntry entry = entry(i);
                if (i % 1000 == 0) {
                    bytes += 1000L * plain.serialize(topic.name(), entry).length;
                }
                producer.send(new ProducerRecord<>(topic.name(), key(i), entry));
            }
            producer.flush();
        }
        return bytes;
    }

    private static String checksum(int i) {
        return String.format("%064x", (long) i * 0x9E3779B97F4A7C15L);
    }

    private static String key(int i) {
        return CacheKey.of(checksum(i), "ollama", MODEL, "qa-v1", PARAMETERS);
    }

    /** One model call's parsed answer: 5 pairs, each question and answer about 200 characters, varied per entry. */
    static GenerationCacheEntry entry(int i) {
        List<CachedPair> pairs = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            String param = "EUtranCellFDD.param" + ((i * 5 + p) % 9973);
            pairs.add(CachedPair.newBuilder()
                    .setQuestion("In feature " + (i / 25) + ", what does the parameter " + param + " control, what is its "
                            + "default value, and how does changing it affect uplink power control for UEs at the cell edge?")
                    .setAnswer(param + " sets the time in milliseconds (default " + (i % 128 + p) + ") that the eNodeB waits "
                            + "before re-evaluating the uplink power boost for a UE whose RSRP stays below the threshold "
                            + "for chunk " + i + ".")
                    .setQuestionType(p % 2 == 0 ? "parameter" : "procedure").build());
        }
        return GenerationCacheEntry.newBuilder().setModel(MODEL).setBackend("ollama").setPromptVersion("qa-v1")
                .setParameters(PARAMETERS).setChunkChecksum(checksum(i)).setPairs(pairs)
                .setTokensIn(900 + i % 300).setTokensOut(400 + i % 200).setLatencyMs(1500 + i % 1000)
                .setCreatedAtMs(1_700_000_000_000L + i).build();
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** This process's resident set (VmRSS of /proc/self/status) in kB; 0 where there is no /proc. */
    private static long rssKb() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long folderBytes(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
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
