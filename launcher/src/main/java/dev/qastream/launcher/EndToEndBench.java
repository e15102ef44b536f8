package dev.qastream.launcher;

import dev.qastream.ingest.ScanReport;
import dev.qastream.runtime.config.Config;
import dev.qastream.simulator.LlmSimulator;
import dev.qastream.simulator.SimulatorConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code ./pipeline batch} does on a copy of a corpus with a fresh data dir: wall time from the stack's start
 * to every stage drained, and the pairs, as {@code name: value} lines. With the builtin generator, or with every
 * tier on the LLM simulator at a given time per output token: then also how busy the simulator's slots were from
 * the first call to the last (the share the model server would be used in a real batch).
 */
final class EndToEndBench {
    private final Path corpus;
    private final Path workDir;
    private final Duration timeout;
    /** 0: the builtin generator; else every tier on the simulator at this many ms per output token. */
    private final double msPerToken;
    private final int simulatorSlots;
    private final PrintStream out;

    EndToEndBench(Path corpus, Path workDir, Duration timeout, double msPerToken, int simulatorSlots, PrintStream out) {
        this.corpus = corpus;
        this.workDir = workDir.toAbsolutePath();
        this.timeout = timeout;
        this.msPerToken = msPerToken;
        this.simulatorSlots = simulatorSlots;
        this.out = out;
    }

    /** Exit code: 0 when everything flowed through in time. */
    int run() throws Exception {
        deleteTree(workDir);
        Path inbox = workDir.resolve("inbox");
        copyTree(corpus, inbox); // a copy, so nothing the run does touches the shared corpus
        Config config = Config.load(null).with(Map.of(
                "data-dir", workDir.resolve("data").toString(), "inbox", inbox.toString(),
                "out", workDir.resolve("out").toString(), "http.port", "0"));
        LlmSimulator sim = msPerToken > 0 ? LlmSimulator.start(SimulatorConfig.builder().slots(simulatorSlots)
                .decodeTps(1000 / msPerToken).prefillTps(20 * 1000 / msPerToken).build()) : null;
        config = config.with(dev.qastream.launcher.bench.SimulatedTiers.settings(sim, simulatorSlots, false));
        long t0 = System.nanoTime();
        SlotSampler sampler = sim == null ? null : SlotSampler.start(sim);
        try (sim; sampler; Stack stack = Stack.start(config)) {
            ScanReport scan = stack.ingest().scanUntilSettled();
            String lagging = Drain.await(stack, timeout, line -> { });
            double seconds = (System.nanoTime() - t0) / 1e9;
            Counts c = Counts.of(stack);
            out.printf("corpus: %s%n", corpus);
            out.printf("documents: %d%n", scan.ingested());
            out.printf("skipped_files: %d%n", scan.skipped());
            out.printf("ingest_errors: %d%n", scan.errors());
            out.printf("chunks: %d%n", scan.chunksSent());
            out.printf("pairs_generated: %.0f%n", c.pairs());
            out.printf("pairs_accepted: %.0f%n", c.accepted());
            out.printf("pairs_rejected: %.0f%n", c.rejected());
            out.printf("dataset_pairs: %d%n", c.dataset());
            out.printf("stack_start_s: %.2f%n", stack.startupMs() / 1000.0);
            out.printf("wall_s: %.2f%n", seconds);
            out.printf("pairs_generated_per_s: %.1f%n", c.pairs() / seconds);
            if (sim != null) {
                out.printf("simulator_ms_per_token: %s%n", msPerToken);
                out.printf("simulator_slots: %d%n", simulatorSlots);
                out.printf("model_calls: %d%n", sim.calls());
                out.printf("first_to_last_call_s: %.2f%n", (sim.lastReleaseNanos() - sim.firstSlotNanos()) / 1e9);
                out.printf("slots_busy_first_to_last: %.3f%n", sim.busyShare());
                out.printf("calls_by_model: %s%n", callsByModel(sim));
                out.printf("slots_busy_by_tenth: %s%n", sampler.byTenth(sim.firstSlotNanos(), sim.lastReleaseNanos()));
            }
            if (lagging != null) {
                out.printf("error: not finished after %s; still lagging: %s%n", timeout, lagging);
                return 1;
            }
            return 0;
        } finally {
            deleteTree(workDir.resolve("data"));
        }
    }

    private static Map<String, Long> callsByModel(LlmSimulator sim) {
        return sim.requests().stream().filter(r -> r.body() != null && r.body().has("messages"))
                .collect(java.util.stream.Collectors.groupingBy(r -> r.body().path("model").asText(),
                        java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(p)) {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
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
