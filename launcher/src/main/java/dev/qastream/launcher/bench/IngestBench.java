package dev.qastream.launcher.bench;

import dev.qastream.ingest.IgnoreRules;
import dev.qastream.ingest.IngestService;
import dev.qastream.ingest.ScanReport;
import dev.qastream.ingest.chunk.Chunker;
import dev.qastream.ingest.parse.DocumentParsers;
import dev.qastream.ingest.parse.UnreadableDocumentException;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Ingest throughput: the markdown files of a corpus (those {@code ingest.ignore} lets in) replicated to N documents, measured
 * (a) through parse + chunk + transactional produce on the embedded broker, and (b) parse + chunk
 * alone on the same number of threads, in the same run, alternating, several rounds; prints medians as {@code name: value} lines.
 * Each round of (a) uses a fresh broker so every document is new to ingest; a first, unmeasured round of
 * each warms the JVM (its figure is printed as {@code cold_docs_per_s}).
 */
public final class IngestBench {
    private final Path corpus;
    private final Path workDir;
    private final int documents;
    private final int rounds;
    private final PrintStream out;
    private long lastScanCpuNanos;
    private Map<String, Double> lastScanCpuByGroup = Map.of();

    public IngestBench(Path corpus, Path workDir, int documents, int rounds, PrintStream out) {
        this.corpus = corpus;
        this.workDir = workDir;
        this.documents = documents;
        this.rounds = rounds;
        this.out = out;
    }

    public void run() throws Exception {
        Path inbox = workDir.resolve("inbox");
        List<Path> files = replicate(corpus, inbox, documents, Config.load(null).string("ingest.ignore"));
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        out.printf("corpus: %s%ndocuments: %d%nmegabytes: %.2f%nrounds: %d%n", corpus, files.size(), bytes / 1e6, rounds);
        Config base = Config.load(null);
        Chunker chunker = new Chunker(base.integer("ingest.max-tokens"), base.integer("ingest.overlap-tokens"));
        int threads = Math.max(1, base.integer("ingest.parser-threads"));
        out.printf("parser_threads: %d%n", threads);

        // Warm-up of both paths (JIT, page cache, schema registration); reported apart as the cold figure.
        parseOnly(inbox, files, chunker, threads);
        double cold = files.size() / throughKafka(inbox, files.size(), -1);
        out.printf("warm-up: cold_docs_per_s=%.0f%n", cold);
        List<Double> parseRates = new ArrayList<>();
        List<Double> fullRates = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            long cpu0 = cpuNanos();
            parseRates.add(files.size() / parseOnly(inbox, files, chunker, threads));
            long cpu1 = cpuNanos();
            double seconds = throughKafka(inbox, files.size(), r);
            fullRates.add(files.size() / seconds);
            out.printf("round %d: parse_only_docs_per_s=%.0f (cpu %.1f s) docs_per_s=%.0f (cpu %.1f s)%n", r + 1,
                    parseRates.get(r), (cpu1 - cpu0) / 1e9, fullRates.get(r), lastScanCpuNanos / 1e9);
        }
        out.println("cpu of the last round through Kafka, by thread group:");
        lastScanCpuByGroup.forEach((group, sec) -> out.printf("  %s: %.2f s%n", group, sec));
        double parse = median(parseRates);
        double full = median(fullRates);
        out.printf("docs_per_s: %.0f%n", full);
        out.printf("mb_per_s: %.2f%n", full * bytes / files.size() / 1e6);
        out.printf("parse_only_docs_per_s: %.0f%n", parse);
        out.printf("kafka_overhead_pct: %.1f%n", (parse / full - 1) * 100);
        out.printf("cold_docs_per_s: %.0f%n", cold);
    }

    /** Seconds to read, parse and chunk every file, on as many threads as ingest parses with. */
    private double parseOnly(Path inbox, List<Path> files, Chunker chunker, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            List<Future<Integer>> results = new ArrayList<>();
            for (Path f : files) {
                results.add(pool.submit(() -> {
                    try {
                        return chunker.chunk(DocumentParsers.parse(inbox.relativize(f).toString(),
                                Files.readAllBytes(f))).size();
                    } catch (UnreadableDocumentException e) {
                        return 0; // counted like ingest would: an error, no chunks
                    }
                }));
            }
            int chunks = 0;
            for (Future<Integer> r : results) {
                chunks += r.get();
            }
            if (chunks == 0) {
                throw new IllegalStateException("no chunks parsed from " + inbox);
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Seconds for one full ingest scan into a fresh embedded broker. */
    private double throughKafka(Path inbox, int expected, int round) throws Exception {
        Path data = workDir.resolve("data-" + (round < 0 ? "warmup" : round));
        Config config = Config.load(null).with(Map.of(
                "data-dir", data.toString(), "inbox", inbox.toString(),
                "out", workDir.resolve("out").toString(), "ingest.settle-ms", "0"));
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(data)) {
            KafkaSettings kafka = new KafkaSettings(platform.bootstrapServers(), config);
            ServiceContext ctx = ServiceContext.create(config, kafka, platform.registryApiUrl(), new SimpleMeterRegistry());
            TopicAdmin.ensureTopics(kafka, ctx.topics());
            try (IngestService ingest = new IngestService(ctx)) {
                ingest.open();
                long cpu0 = cpuNanos();
                ThreadCpu threadCpu = new ThreadCpu();
                long t0 = System.nanoTime();
                ScanReport report = ingest.scanOnce();
                double seconds = (System.nanoTime() - t0) / 1e9;
                lastScanCpuNanos = cpuNanos() - cpu0;
                lastScanCpuByGroup = threadCpu.secondsByGroup();
                if (report.ingested() + report.errors() != expected) {
                    throw new IllegalStateException("expected " + expected + " documents, ingest saw " + report);
                }
                return seconds;
            }
        } finally {
            deleteTree(data);
        }
    }

    /** Copies the corpus's markdown files into the inbox until it holds the requested number of documents. */
    static List<Path> replicate(Path corpus, Path inbox, int documents, String ignorePatterns) throws IOException {
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(corpus)) {
            // Only files ingest takes as documents (NOTICE.md is not one): it must see every file of the inbox.
            IgnoreRules ignores = IgnoreRules.of(ignorePatterns);
            sources = walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !ignores.coversDocument(corpus.relativize(p).toString().replace('\\', '/')))
                    .sorted().toList();
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no markdown files under " + corpus + " that ingest.ignore lets in");
        }
        deleteTree(inbox);
        List<Path> files = new ArrayList<>();
        for (int copy = 0; files.size() < documents; copy++) {
            for (Path src : sources) {
                if (files.size() >= documents) {
                    break;
                }
                Path target = inbox.resolve("copy-" + copy).resolve(corpus.relativize(src).toString());
                Files.createDirectories(target.getParent());
                Files.copy(src, target);
                files.add(target);
            }
        }
        return files;
    }

    /** CPU time of this process (all threads, the in-process broker included; not the registry child). */
    private static long cpuNanos() {
        return ThreadCpu.processCpu();
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
