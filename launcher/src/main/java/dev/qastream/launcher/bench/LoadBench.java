package dev.qastream.launcher.bench;

import dev.qastream.launcher.status.Snapshot;
import dev.qastream.launcher.status.StatusProbe;
import dev.qastream.runtime.Endpoints;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.TopicAdmin;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import dev.qastream.simulator.LlmSimulator;
import dev.qastream.simulator.SimulatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pipeline under a large backlog, as a user runs it: a synthetic corpus of feature documents dropped into
 * the inbox at once, the embedded platform in this process, every stage as its own JVM ({@code ./pipeline service
 * NAME}, each with a heap limit; or all in one {@code up} JVM), the builtin generator or every tier on the LLM
 * simulator (in this process) with K slots. Every 10 s: chunks, pairs, pairs scored, dataset records, lag per
 * consumer group, each process's memory (resident and heap) and the times its log says it was fenced; until the
 * time is up or, with {@code untilDrained}, every stage has caught up. At the end {@code name: value} lines, with
 * the rate against the simulator's ceiling (its busy slot time / (K x wall)) when it was the model server.
 */
public final class LoadBench {
    private static final long SAMPLE_MS = 10_000;

    /** What the bench runs. */
    public record Options(int docs, double docMb, double minutes, Path workDir, boolean separateProcesses,
                          Path configFile, List<String> services, int heapMb, int simulatorSlots, double decodeTps,
                          boolean untilDrained) {
    }

    private record Sample(double seconds, Snapshot status, Map<String, ChildService.Memory> memory,
                          Map<String, Long> heapMb, Map<String, Integer> fenced) {
    }

    private final Options options;
    private final PrintStream out;

    public LoadBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public void run() throws Exception {
        Path work = options.workDir().toAbsolutePath();
        IngestBench.deleteTree(work);
        Path corpus = work.resolve("corpus");
        long t = System.nanoTime();
        List<Path> files = FeatureDocs.write(corpus, options.docs(), (long) (options.docMb() * 1_000_000));
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        out.printf("corpus: %d documents, %.1f MB written in %.1f s (%s)%n", files.size(), bytes / 1e6,
                (System.nanoTime() - t) / 1e9, corpus);

        LlmSimulator sim = options.simulatorSlots() > 0 ? LlmSimulator.start(SimulatorConfig.builder()
                .slots(options.simulatorSlots()).maxQueue(4 * options.simulatorSlots() + 64)
                .decodeTps(options.decodeTps()).prefillTps(10 * options.decodeTps()).build()) : null;
        Config config = Config.load(options.configFile()).with(Map.of(
                "data-dir", work.resolve("data").toString(),
                "inbox", work.resolve("inbox").toString(),
                "out", work.resolve("out").toString(),
                "http.port", "0")).with(SimulatedTiers.settings(sim, options.simulatorSlots(), true));
        Files.createDirectories(config.path("inbox"));
        double loadBefore = loadAverage();
        try (sim; EmbeddedPlatform platform = EmbeddedPlatform.start(config.path("data-dir"))) {
            Endpoints endpoints = new Endpoints(platform.bootstrapServers(), platform.registryApiUrl());
            KafkaSettings kafka = new KafkaSettings(endpoints.bootstrapServers(), config);
            ServiceContext ctx = ServiceContext.create(config, kafka, endpoints.registryApiUrl(), new SimpleMeterRegistry());
            TopicAdmin.ensureTopics(kafka, ctx.topics());
            endpoints.write(config.path("data-dir")); // ./pipeline status --data-dir ... works meanwhile
            List<ChildService> children = startChildren(config, endpoints, work);
            // Ctrl-C stops the services too, not only this process.
            Thread stopChildren = new Thread(() -> children.forEach(ChildService::close), "load-bench-stop");
            Runtime.getRuntime().addShutdownHook(stopChildren);
            try (StatusProbe probe = new StatusProbe(ctx, "load bench", List.of())) {
                if (sim != null) {
                    sim.resetBusyMeasures();
                }
                long t0 = System.nanoTime();
                List<Sample> samples = drive(files, corpus, config.path("inbox"), children, probe);
                double wall = (System.nanoTime() - t0) / 1e9;
                report(files.size(), bytes, loadBefore, samples, children);
                if (sim != null) {
                    out.printf("simulator_slots: %d%n", options.simulatorSlots());
                    out.printf("simulator_decode_tps: %.0f%n", options.decodeTps());
                    out.printf("model_calls: %d%n", sim.calls());
                    out.printf("simulator_busy_slot_s: %.1f%n", sim.busySlotNanos() / 1e9);
                    // The model server's ceiling: every slot busy for the whole run; 1.0 = the pipeline kept pace.
                    out.printf("rate_vs_simulator_ceiling: %.3f%n", sim.busySlotNanos() / 1e9 / options.simulatorSlots() / wall);
                    out.printf("slots_busy_first_to_last_call: %.3f%n", sim.busyShare());
                }
            } finally {
                children.forEach(ChildService::close);
                Endpoints.remove(config.path("data-dir"));
                try {
                    Runtime.getRuntime().removeShutdownHook(stopChildren);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running
                }
            }
        }
    }

    private List<ChildService> startChildren(Config config, Endpoints endpoints, Path work) throws Exception {
        List<ChildService> children = new ArrayList<>();
        Path logs = work.resolve("logs");
        try {
            if (options.separateProcesses()) {
                Path file = work.resolve("load.yaml");
                Files.writeString(file, config.toYaml(), StandardCharsets.UTF_8);
                List<String> heap = options.heapMb() > 0 ? List.of("-Xmx" + options.heapMb() + "m") : List.of();
                for (String service : options.services()) {
                    children.add(ChildService.start(service, heap, List.of("service", service, "--config", file.toString()),
                            logs.resolve(service + ".log")));
                }
                for (ChildService c : children) {
                    c.awaitLine(c.name() + " running", 180_000);
                }
            } else {
                // Everything in one JVM, as `./pipeline up` runs it, on this platform (as a cluster).
                Config all = config.with(Map.of("kafka.bootstrap-servers", endpoints.bootstrapServers(),
                        "registry.url", endpoints.registryApiUrl().replaceAll("/apis/registry/v3/?$", ""),
                        "data-dir", work.resolve("up-data").toString()));
                Path file = work.resolve("load.yaml");
                Files.writeString(file, all.toYaml(), StandardCharsets.UTF_8);
                ChildService up = ChildService.start("all", List.of("up", "--config", file.toString()), logs.resolve("up.log"));
                children.add(up);
                up.awaitLine("up in ", 180_000);
            }
        } catch (Exception e) {
            children.forEach(ChildService::close);
            throw e;
        }
        for (ChildService c : children) {
            out.printf("started %s (pid %d, log %s)%n", c.name(), c.pid(), logs);
        }
        return children;
    }

    /** Drops the corpus into the inbox and samples every 10 s until the time is up. */
    private List<Sample> drive(List<Path> files, Path corpus, Path inbox, List<ChildService> children, StatusProbe probe)
            throws Exception {
        for (Path f : files) {
            Path target = inbox.resolve(corpus.relativize(f).toString());
            Files.createDirectories(target.getParent());
            Files.move(f, target);
        }
        long t0 = System.nanoTime();
        out.printf("corpus dropped into %s; sampling every %d s for %.1f min%n", inbox, SAMPLE_MS / 1000, options.minutes());
        List<Sample> samples = new ArrayList<>();
        long end = t0 + (long) (options.minutes() * 60e9);
        for (long next = t0 + SAMPLE_MS * 1_000_000; next <= end; next += SAMPLE_MS * 1_000_000) {
            Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
            Sample s = sample((System.nanoTime() - t0) / 1e9, children, probe);
            samples.add(s);
            out.println(progress(s, children));
            for (ChildService c : children) {
                if (!c.alive()) {
                    out.printf("warning: %s has exited%n", c.name());
                }
            }
            if (options.untilDrained() && drained(s.status(), files.size())) {
                out.printf("drained after %.0f s%n", s.seconds());
                break;
            }
        }
        return samples;
    }

    /** Every document in, every pair scored, every accepted one in the dataset, and no stage behind. */
    private static boolean drained(Snapshot s, int docs) {
        return s.documents() >= docs && s.pairs() > 0 && s.scored() >= s.pairs() && s.dataset() == s.accepted()
                && s.lag().values().stream().allMatch(n -> n == 0);
    }

    private static Sample sample(double seconds, List<ChildService> children, StatusProbe probe) throws IOException {
        Map<String, ChildService.Memory> memory = new LinkedHashMap<>();
        Map<String, Long> heap = new LinkedHashMap<>();
        Map<String, Integer> fenced = new LinkedHashMap<>();
        for (ChildService c : children) {
            memory.put(c.name(), c.memory());
            heap.put(c.name(), c.heapUsedMb());
            fenced.put(c.name(), c.fencedCount());
        }
        return new Sample(seconds, probe.snapshot(), memory, heap, fenced);
    }

    private static String progress(Sample s, List<ChildService> children) {
        Snapshot st = s.status();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "t=%3.0fs docs=%d chunks=%d pairs=%d scored=%d dataset=%d | lag", s.seconds(), st.documents(),
                st.chunks(), st.pairs(), st.scored(), st.dataset()));
        st.lag().forEach((g, l) -> line.append(' ').append(shortGroup(g)).append('=').append(l));
        line.append(" | rss/peak MB");
        s.memory().forEach((n, m) -> line.append(' ').append(n).append('=').append(m.rssMb()).append('/').append(m.peakMb()));
        line.append(" | heap MB");
        s.heapMb().forEach((n, h) -> line.append(' ').append(n).append('=').append(h));
        line.append(" | fenced");
        s.fenced().forEach((n, f) -> line.append(' ').append(n).append('=').append(f));
        for (ChildService c : children) {
            Map<String, Double> thread = StreamsThreadMetrics.of(c);
            if (!thread.isEmpty()) {
                line.append(" | ").append(c.name()).append(" streams");
                thread.forEach((k, v) -> line.append(' ').append(k).append('=').append(String.format(Locale.ROOT, "%.0f", v)));
            }
        }
        return line.toString();
    }

    private void report(int docs, long bytes, double loadBefore, List<Sample> samples, List<ChildService> children)
            throws IOException {
        out.printf("docs: %d%n", docs);
        out.printf("megabytes: %.1f%n", bytes / 1e6);
        out.printf("separate_processes: %s%n", options.separateProcesses());
        out.printf("minutes: %.1f%n", options.minutes());
        out.printf("cores: %d%n", Runtime.getRuntime().availableProcessors());
        out.printf("load_average_before: %.2f%n", loadBefore);
        out.printf("load_average_after: %.2f%n", loadAverage());
        if (samples.isEmpty()) {
            out.println("samples: 0 (--minutes shorter than one sample)");
            return;
        }
        Sample last = samples.get(samples.size() - 1);
        Snapshot st = last.status();
        out.printf("documents_ingested: %d%n", st.documents());
        out.printf("chunks_ingested: %d%n", st.chunks());
        samples.stream().filter(s -> s.status().documents() >= docs).findFirst()
                .ifPresent(s -> out.printf("all_documents_ingested_s: %.0f%n", s.seconds()));
        out.printf("pairs_generated: %d%n", st.pairs());
        out.printf("pairs_scored: %d%n", st.scored());
        out.printf("dataset_records: %d%n", st.dataset());
        out.printf("pairs_per_minute: %.0f%n", st.dataset() / (last.seconds() / 60));
        samples.stream().filter(s -> s.status().dataset() > 0).findFirst().ifPresentOrElse(
                s -> out.printf("first_pair_in_dataset_minute: %.2f%n", s.seconds() / 60),
                () -> out.println("first_pair_in_dataset_minute: none"));
        out.printf("dataset_growth_per_minute: %s%n", perMinute(samples));
        for (ChildService c : children) {
            out.printf("peak_rss_mb_%s: %d%n", c.name(), c.peakRssMb());
        }
        out.printf("peak_rss_mb_bench_and_platform: %d%n", ownPeakRssMb());
        if (options.separateProcesses()) {
            out.printf("heap_max_mb: %s%n", options.heapMb() > 0 ? options.heapMb() : "JVM default");
            for (ChildService c : children) {
                out.printf("peak_heap_used_mb_%s: %d%n", c.name(), c.peakHeapUsedMb());
            }
            long oom = 0;
            for (ChildService c : children) {
                oom += Math.max(0, c.outOfMemoryCount());
            }
            out.printf("out_of_memory_errors: %d%n", oom);
        }
        out.printf("drained: %s%n", drained(st, docs));
        int fencedTotal = 0;
        for (ChildService c : children) {
            int f = c.fencedCount();
            fencedTotal += f;
            out.printf("fenced_count_%s: %d%n", c.name(), f);
        }
        out.printf("fenced_count_total: %d%n", fencedTotal);
        st.lag().forEach((g, l) -> out.printf("final_lag_%s: %d%n", shortGroup(g), l));
        for (ChildService c : children) {
            c.fencedLines().forEach(l -> out.printf("fenced in %s: %s%n", c.name(), l));
        }
    }

    /** Dataset records added in each whole minute of the run (the last sample of each minute against the one before). */
    private static String perMinute(List<Sample> samples) {
        Map<Integer, Long> atMinute = new TreeMap<>();
        for (int i = 0; i < samples.size(); i++) {
            // sample i is taken at (i + 1) * 10 s: samples 0..5 end minute 1
            atMinute.put((int) ((i + 1) * SAMPLE_MS / 60_000.0 - 1e-9) + 1, samples.get(i).status().dataset());
        }
        StringBuilder b = new StringBuilder();
        long before = 0;
        for (Map.Entry<Integer, Long> e : atMinute.entrySet()) {
            b.append(b.isEmpty() ? "" : " ").append(e.getValue() - before);
            before = e.getValue();
        }
        return b.toString();
    }

    private static String shortGroup(String group) {
        return group.startsWith("qastream-") ? group.substring("qastream-".length()) : group;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long ownPeakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // no /proc
        }
        return -1;
    }
}
