package dev.qastream.launcher.bench;

import dev.qastream.launcher.bench.BenchResults.Benchmark;
import dev.qastream.launcher.bench.BenchResults.Machine;
import dev.qastream.launcher.bench.BenchResults.Run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./pipeline bench all}: every benchmark, N runs each, each run in a fresh JVM (this one's java, options and
 * classpath), then bench/results.md with the machine, and median, min and max of every figure.
 */
public final class BenchSuite {
    private static final long POLL_MS = 500;

    /** One benchmark of the suite: the launcher arguments of one run, and why they differ from its defaults. */
    public record Spec(String name, List<String> args, String note) {
        String command() {
            return "./pipeline " + String.join(" ", args);
        }
    }

    /**
     * The suite, with arguments that keep one run of everything within about 15 minutes on two cores (the
     * benchmarks' own defaults are sized for a single, longer measurement). Each benchmark's internal rounds are
     * kept at one where it has them: the suite's runs give the spread.
     */
    public static final List<Spec> ALL = List.of(
            new Spec("ingest", List.of("bench", "ingest", "--docs", "2000", "--rounds", "1"),
                    "one measured round after the warm-up round"),
            new Spec("generation", List.of("bench", "generation", "--chunks", "1000", "--slots", "4,8,16", "--runs", "1"),
                    "one run per K"),
            new Spec("scoring", List.of("bench", "scoring", "--copies", "10", "--rounds", "3"),
                    "10 fixture copies (about 700 pairs) instead of 20; the median of 3 rounds, each beside the model alone"),
            new Spec("quality", List.of("bench", "quality"), "defaults"),
            new Spec("export", List.of("bench", "export", "--pairs", "20000", "--rounds", "1"),
                    "20,000 pairs instead of 100,000, one round per format"),
            new Spec("load", List.of("bench", "load", "--docs", "10", "--doc-mb", "1", "--minutes", "2"),
                    "10 docs of 1 MB for 2 min, not 40 of 3 MB for 5; peak_rss_mb_*"),
            new Spec("cache", List.of("bench", "cache", "--entries", "50000", "--lookups", "100000"),
                    "50,000 entries instead of 200,000"),
            new Spec("coverage", List.of("bench", "coverage"), "defaults"),
            new Spec("review", List.of("bench", "review", "--pairs", "100000", "--rounds", "3"), "3 queries of each kind"),
            new Spec("e2e", List.of("bench", "e2e"),
                    "batch over ../shared/corpus/oai, builtin generator"),
            new Spec("e2e-simulator", List.of("bench", "e2e", "--simulator-ms-per-token", "1"),
                    "the same batch with every tier on the LLM simulator, 4 slots, 1 ms per output token: slots_busy_first_to_last"),
            new Spec("startup", List.of("bench", "startup", "--starts", "3"),
                    "broker + registry: a cold start, then restarts on its data"));

    private final List<Spec> specs;
    private final int runs;
    private final Duration runTimeout;
    private final Path workDir;
    private final PrintStream out;

    public BenchSuite(List<Spec> specs, int runs, Duration runTimeout, Path workDir, PrintStream out) {
        this.specs = specs;
        this.runs = runs;
        this.runTimeout = runTimeout;
        this.workDir = workDir;
        this.out = out;
    }

    /** The specs named in {@code only} (all when empty), in suite order; an unknown name is an error. */
    public static List<Spec> select(List<String> only) {
        List<String> names = ALL.stream().map(Spec::name).toList();
        for (String name : only) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("unknown benchmark '" + name + "'; known: " + String.join(",", names));
            }
        }
        return only.isEmpty() ? ALL : ALL.stream().filter(s -> only.contains(s.name())).toList();
    }

    /** Runs the suite and writes {@code results}; true when every run of every benchmark exited 0. */
    public boolean run(Path results, String suiteCommand) throws IOException, InterruptedException {
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String loadStart = MachineInfo.loadAverage();
        List<Benchmark> benchmarks = new ArrayList<>();
        for (Spec spec : specs) {
            List<Run> done = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                out.printf("%s run %d/%d: %s%n", spec.name(), i, runs, spec.command());
                Run run = runOnce(spec, workDir.resolve("logs").resolve(spec.name() + "-" + i + ".log"));
                out.printf("%s run %d/%d: exit %d in %.1f s%n", spec.name(), i, runs, run.exitCode(), run.seconds());
                done.add(run);
            }
            benchmarks.add(new Benchmark(spec.name(), spec.command(), spec.note(), done));
            // Written after each benchmark: a suite stopped half-way keeps what it measured.
            write(results, date, loadStart, suiteCommand, benchmarks);
        }
        out.printf("results: %s%n", results);
        return benchmarks.stream().noneMatch(Benchmark::failed);
    }

    private static void write(Path results, String date, String loadStart, String suiteCommand, List<Benchmark> benchmarks)
            throws IOException {
        Machine machine = MachineInfo.read(date, loadStart);
        String javaCommand = String.join(" ", ChildService.command(List.of())).replace(System.getProperty("java.class.path"), "CLASSPATH");
        String md = BenchResults.markdown(machine, suiteCommand, javaCommand, benchmarks);
        Path parent = results.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(results, md, StandardCharsets.UTF_8);
    }

    private Run runOnce(Spec spec, Path log) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        ChildService child = ChildService.start(spec.name(), spec.args(), log);
        // Ctrl-C stops the running benchmark too, not only this process.
        Thread stopChild = new Thread(child::close, "bench-all-stop");
        Runtime.getRuntime().addShutdownHook(stopChild);
        long peakMb = 0;
        long deadline = System.currentTimeMillis() + runTimeout.toMillis();
        Integer exit = null;
        try {
            while (exit == null && System.currentTimeMillis() < deadline) {
                peakMb = Math.max(peakMb, child.memory().peakMb()); // /proc is gone once it has exited
                exit = child.waitFor(POLL_MS);
            }
        } finally {
            if (exit == null) {
                child.close(); // past the timeout: SIGTERM, then SIGKILL
            }
            try {
                Runtime.getRuntime().removeShutdownHook(stopChild);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (exit == null) {
            output += String.format(Locale.ROOT, "%n(bench all: stopped after the run timeout of %d s)%n", runTimeout.toSeconds());
            exit = 124;
        }
        return new Run(exit, seconds, peakMb, output);
    }
}
