package dev.qastream.launcher;

import dev.qastream.launcher.bench.CacheBench;
import dev.qastream.launcher.bench.CoverageBench;
import dev.qastream.launcher.bench.ExportBench;
import dev.qastream.launcher.bench.GenerationBench;
import dev.qastream.launcher.bench.IngestBench;
import dev.qastream.launcher.bench.LoadBench;
import dev.qastream.sink.export.ExportFormat;
import dev.qastream.launcher.bench.QualityBench;
import dev.qastream.launcher.bench.ReviewBench;
import dev.qastream.launcher.bench.ScoringBench;
import dev.qastream.launcher.bench.StartupBench;
import dev.qastream.launcher.bench.BenchSuite;
import dev.qastream.runtime.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Benchmarks that print their figures as {@code name: value} lines. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure throughput; prints name: value lines.",
        subcommands = {BenchCommand.Ingest.class, BenchCommand.Export.class, BenchCommand.Quality.class,
                BenchCommand.Scoring.class, BenchCommand.Generation.class, BenchCommand.Cache.class,
                BenchCommand.Load.class, BenchCommand.Review.class, BenchCommand.Coverage.class,
                BenchCommand.EndToEnd.class, BenchCommand.Startup.class, BenchCommand.All.class})
final class BenchCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true, description = "Parse + chunk + produce on the embedded broker vs parse + chunk alone.")
    static final class Ingest implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--corpus", description = "folder of markdown documents (default: ../shared/corpus/oai)")
        Path corpus;

        @Option(names = "--docs", defaultValue = "2000", description = "documents to replicate the corpus to")
        int docs;

        @Option(names = "--rounds", defaultValue = "3", description = "measured rounds; the median is reported")
        int rounds;

        @Option(names = "--work-dir", defaultValue = "target/bench-ingest", description = "scratch folder")
        Path workDir;

        @Override
        public Integer call() throws Exception {
            Path source = corpus != null ? corpus : defaultCorpus();
            new IngestBench(source, workDir, docs, rounds, System.out).run();
            return 0;
        }

        static Path defaultCorpus() {
            for (Path p : new Path[] {Path.of("../shared/corpus/oai"), Path.of("shared/corpus/oai")}) {
                if (Files.isDirectory(p)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("no corpus found; pass --corpus DIR");
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Export a synthetic dataset of N pairs from the embedded broker in each format: seconds and peak heap.")
    static final class Export implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--pairs", defaultValue = "100000", description = "pairs in the synthetic dataset")
        int pairs;

        @Option(names = "--rounds", defaultValue = "3", description = "runs per format; the median is reported")
        int rounds;

        @Option(names = "--formats", defaultValue = "chat,mlx,alpaca,sharegpt,parquet,hf", split = ",",
                description = "formats to measure")
        java.util.List<String> formats;

        @Option(names = "--work-dir", defaultValue = "target/bench-export", description = "scratch folder (wiped)")
        Path workDir;

        @Override
        public Integer call() throws Exception {
            new ExportBench(workDir, pairs, rounds, formats.stream().map(ExportFormat::parse).toList(), System.out).run();
            return 0;
        }
    }

    @Command(name = "quality", mixinStandardHelpOptions = true,
            description = "Scoring quality on an evaluation set built from fixture documents: ROC AUC, acceptance of "
                    + "correct pairs, rejection per kind of corruption.")
    static final class Quality implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--config", description = "YAML configuration file (scoring.* settings to evaluate)")
        Path configFile;

        @Option(names = "--verbose", description = "print every pair scored the wrong way, with its reasons, to stderr")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            QualityBench bench = new QualityBench(Config.load(configFile), System.out, verbose);
            bench.print(bench.run());
            return 0;
        }
    }

    @Command(name = "scoring", mixinStandardHelpOptions = true,
            description = "Pairs per second through the scoring topology beside the embedding model alone, same run.")
    static final class Scoring implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--config", description = "YAML configuration file")
        Path configFile;

        @Option(names = "--copies", defaultValue = "20", description = "copies of the fixture documents (about 70 pairs each)")
        int copies;

        @Option(names = "--rounds", defaultValue = "3", description = "measured rounds; the median is reported")
        int rounds;

        @Override
        public Integer call() throws Exception {
            new ScoringBench(Config.load(configFile), copies, rounds, System.out).run();
            return 0;
        }
    }

    @Command(name = "generation", mixinStandardHelpOptions = true,
            description = "Generation workers against the LLM simulator at K slots: efficiency (ideal / measured time), model calls per chunk, calls on a cached replay.")
    static final class Generation implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--corpus", description = "folder of markdown documents to chunk (default: ../shared/corpus/oai; synthetic chunks when absent)")
        Path corpus;

        @Option(names = "--chunks", defaultValue = "1000", description = "chunks per run (default: ${DEFAULT-VALUE})")
        int chunks;

        @Option(names = "--slots", defaultValue = "4,8,16", split = ",", description = "simulator slots K = calls in flight (default: ${DEFAULT-VALUE})")
        List<Integer> slots;

        @Option(names = "--runs", defaultValue = "3", description = "measured runs per K; the median is reported (default: ${DEFAULT-VALUE})")
        int runs;

        @Option(names = "--decode-tps", defaultValue = "2000", description = "simulated output tokens per second per slot (default: ${DEFAULT-VALUE})")
        double decodeTps;

        @Option(names = "--prefill-tps", defaultValue = "20000", description = "simulated prompt tokens per second per slot (default: ${DEFAULT-VALUE})")
        double prefillTps;

        @Option(names = "--work-dir", defaultValue = "target/bench-generation", description = "scratch folder (default: ${DEFAULT-VALUE})")
        Path workDir;

        @Override
        public Integer call() throws Exception {
            if (chunks < 1 || runs < 1 || slots.isEmpty() || slots.stream().anyMatch(k -> k < 1)) {
                throw new IllegalArgumentException("--chunks, --runs and every --slots value must be at least 1");
            }
            Path source = corpus != null ? corpus : findCorpus();
            new GenerationBench(source, workDir, chunks, slots, runs, decodeTps, prefillTps, System.out).run();
            return 0;
        }

        static Path findCorpus() {
            for (Path p : new Path[] {Path.of("../shared/corpus/oai"), Path.of("shared/corpus/oai")}) {
                if (Files.isDirectory(p)) {
                    return p;
                }
            }
            return null;
        }
    }

    @Command(name = "cache", mixinStandardHelpOptions = true,
            description = "The generation service's cache view with N cached calls on the embedded broker: time to catch up, "
                    + "lookups per second, heap after GC and process RSS.")
    static final class Cache implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--entries", defaultValue = "200000", description = "cache entries written (default: ${DEFAULT-VALUE})")
        int entries;

        @Option(names = "--lookups", defaultValue = "200000", description = "lookups per measured round (default: ${DEFAULT-VALUE})")
        int lookups;

        @Option(names = "--work-dir", defaultValue = "target/bench-cache", description = "scratch folder, wiped (default: ${DEFAULT-VALUE})")
        Path workDir;

        @Override
        public Integer call() throws Exception {
            if (entries < 1 || lookups < 1) {
                throw new IllegalArgumentException("--entries and --lookups must be at least 1");
            }
            new CacheBench(workDir, entries, lookups, System.out).run();
            return 0;
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = {"The whole pipeline under a backlog: synthetic feature documents (many parameters, counters) "
                    + "dropped into the inbox at once, the embedded platform, every stage as its own process "
                    + "(./pipeline service NAME, -Xmx --heap-mb) with the builtin generator or, with --simulator-slots, every tier on the LLM simulator.",
                    "Every 10 s: chunks, pairs, pairs scored, dataset records, lag per consumer group, each "
                            + "process's memory (resident and heap) and the fencings its log tells of; at the end name: value lines "
                            + "(pairs_per_minute, first_pair_in_dataset_minute, peak_rss_mb_*, peak_heap_used_mb_*, fenced_count_*, "
                            + "final_lag_*, and rate_vs_simulator_ceiling with the simulator)."})
    static final class Load implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--docs", defaultValue = "40", description = "documents in the corpus (default: ${DEFAULT-VALUE})")
        int docs;

        @Option(names = "--doc-mb", defaultValue = "3", description = "size of each document in MB (default: ${DEFAULT-VALUE})")
        double docMb;

        @Option(names = "--minutes", defaultValue = "5", description = "how long to run after the drop (default: ${DEFAULT-VALUE})")
        double minutes;

        @Option(names = "--work-dir", defaultValue = "target/bench-load",
                description = "scratch folder, wiped first; logs/ keeps each process's output (default: ${DEFAULT-VALUE})")
        Path workDir;

        @Option(names = "--separate-processes", defaultValue = "true", arity = "1",
                description = "each stage in its own JVM; false: all stages in one JVM as `up` runs them (default: ${DEFAULT-VALUE})")
        boolean separateProcesses;

        @Option(names = "--config", description = "YAML configuration file (e.g. scoring settings to try)")
        Path configFile;

        @Option(names = "--heap-mb", defaultValue = "512",
                description = "-Xmx of each stage's JVM; 0: the JVM's default (default: ${DEFAULT-VALUE})")
        int heapMb;

        @Option(names = "--simulator-slots", defaultValue = "0",
                description = "every tier on the LLM simulator with this many slots (each tier's max-concurrency and "
                        + "generation.server-slots too); 0: the builtin generator (default: ${DEFAULT-VALUE})")
        int simulatorSlots;

        @Option(names = "--decode-tps", defaultValue = "2000",
                description = "the simulator's output tokens per second per slot (default: ${DEFAULT-VALUE})")
        double decodeTps;

        @Option(names = "--until-drained", defaultValue = "false",
                description = "stop as soon as every stage has caught up; --minutes is then the time limit")
        boolean untilDrained;

        @Override
        public Integer call() throws Exception {
            if (docs < 1 || docMb <= 0 || minutes <= 0 || heapMb < 0 || simulatorSlots < 0 || decodeTps <= 0) {
                throw new IllegalArgumentException("--docs, --doc-mb, --minutes and --decode-tps must be positive, "
                        + "--heap-mb and --simulator-slots 0 or more");
            }
            List<String> services = java.util.Arrays.stream(ServiceCommand.Name.values()).map(Enum::name).toList();
            new LoadBench(new LoadBench.Options(docs, docMb, minutes, workDir, separateProcesses, configFile, services,
                    heapMb, simulatorSlots, decodeTps, untilDrained), System.out).run();
            return 0;
        }
    }

    @Command(name = "review", mixinStandardHelpOptions = true,
            description = "The review workbench's store: load time and page queries (first, last, filtered) with many pairs beside 100.")
    static final class Review implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--pairs", defaultValue = "100000", description = "scored pairs in the store (default: ${DEFAULT-VALUE})")
        int pairs;

        @Option(names = "--rounds", defaultValue = "5", description = "queries of each kind; the median is reported")
        int rounds;

        @Override
        public Integer call() {
            new ReviewBench(pairs, rounds, System.out).run();
            return 0;
        }
    }

    @Command(name = "coverage", mixinStandardHelpOptions = true,
            description = {"Coverage of parameter value facts (default, valid values, unit, MO class of every parameter) "
                    + "on the LLM simulator, which answers only some of a chunk's parameters per call: the corpus, the "
                    + "feature-document fixtures and a few synthetic feature documents through the whole pipeline, then "
                    + "follow-ups naming the facts still uncovered.",
                    "Prints coverage after the first pass and after the follow-ups, the model calls (ratio to the first "
                            + "pass) and pairs per covered fact; goal: >= 95%% covered with at most 1.3x the calls."})
    static final class Coverage implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--corpus", description = "folder of markdown documents (default: ../shared/corpus/oai when present)")
        Path corpus;

        @Option(names = "--corpus-docs", defaultValue = "10", description = "corpus documents taken, in path order (default: ${DEFAULT-VALUE})")
        int corpusDocs;

        @Option(names = "--feature-docs", defaultValue = "3", description = "synthetic feature documents rich in parameters (default: ${DEFAULT-VALUE})")
        int featureDocs;

        @Option(names = "--feature-doc-kb", defaultValue = "12", description = "size of each synthetic document in KB (default: ${DEFAULT-VALUE})")
        int featureDocKb;

        @Option(names = "--rounds", defaultValue = "2", description = "follow-up rounds at most (default: ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--facts-per-call", defaultValue = "0", description = "parameters the simulator answers per call; 0: a third of a chunk's (default: ${DEFAULT-VALUE})")
        int factsPerCall;

        @Option(names = "--wrong-fact-rate", defaultValue = "0.05", description = "share of the simulator's answers stating a wrong fact (default: ${DEFAULT-VALUE})")
        double wrongFactRate;

        @Option(names = "--slots", defaultValue = "8", description = "simulator slots (default: ${DEFAULT-VALUE})")
        int slots;

        @Option(names = "--work-dir", defaultValue = "target/bench-coverage", description = "scratch folder, wiped (default: ${DEFAULT-VALUE})")
        Path workDir;

        @Option(names = "--verbose", description = "print the pairs of the first facts left uncovered, with their verdicts and reasons")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            if (corpusDocs < 0 || featureDocs < 0 || featureDocKb < 1 || rounds < 0 || factsPerCall < 0 || slots < 1) {
                throw new IllegalArgumentException("counts must not be negative; --feature-doc-kb and --slots at least 1");
            }
            Path source = corpus != null ? corpus : Generation.findCorpus();
            new CoverageBench(new CoverageBench.Options(source, corpusDocs, featureDocs, featureDocKb, rounds, factsPerCall,
                    wrongFactRate, slots, workDir, verbose), System.out).run();
            return 0;
        }
    }

    @Command(name = "e2e", mixinStandardHelpOptions = true,
            description = "A batch over a corpus with the builtin generator, from stack start to every stage drained: "
                    + "wall time, documents, chunks and pairs (a copy of the corpus, a fresh data dir).")
    static final class EndToEnd implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--corpus", description = "folder of documents, every format (default: ../shared/corpus/oai)")
        Path corpus;

        @Option(names = "--timeout", defaultValue = "PT20M", description = "give up after this long (ISO-8601, default: ${DEFAULT-VALUE})")
        java.time.Duration timeout;

        @Option(names = "--work-dir", defaultValue = "target/bench-e2e", description = "scratch folder, wiped (default: ${DEFAULT-VALUE})")
        Path workDir;

        @Option(names = "--simulator-ms-per-token", defaultValue = "0",
                description = "every tier on the LLM simulator (Ollama API) at this many ms per output token, and "
                        + "print how busy its slots were from the first call to the last; 0: the builtin generator (default: ${DEFAULT-VALUE})")
        double msPerToken;

        @Option(names = "--simulator-slots", defaultValue = "4",
                description = "the simulator's slots (OLLAMA_NUM_PARALLEL), also generation.server-slots (default: ${DEFAULT-VALUE})")
        int simulatorSlots;

        @Override
        public Integer call() throws Exception {
            if (msPerToken < 0 || simulatorSlots < 1) {
                throw new IllegalArgumentException("--simulator-ms-per-token must be 0 or more and --simulator-slots at least 1");
            }
            Path source = corpus != null ? corpus : Ingest.defaultCorpus();
            return new EndToEndBench(source, workDir, timeout, msPerToken, simulatorSlots, System.out).run();
        }
    }

    @Command(name = "startup", mixinStandardHelpOptions = true,
            description = "Start-up time of the embedded broker + registry: the first start on an empty data dir "
                    + "(first_start_s), then restarts on the same data (restart_s, the median).")
    static final class Startup implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--starts", defaultValue = "3", description = "starts in all, the first included (default: ${DEFAULT-VALUE})")
        int starts;

        @Option(names = "--work-dir", defaultValue = "target/bench-startup", description = "scratch folder, wiped (default: ${DEFAULT-VALUE})")
        Path workDir;

        @Override
        public Integer call() throws Exception {
            if (starts < 1) {
                throw new IllegalArgumentException("--starts must be at least 1");
            }
            new StartupBench(workDir, starts, System.out).run();
            return 0;
        }
    }

    @Command(name = "all", mixinStandardHelpOptions = true,
            description = {"Every benchmark, --runs times each, each run in a fresh JVM (this one's java, options and "
                    + "classpath), then a markdown file with the machine (CPU, cores, memory, OS, Java, load average at "
                    + "start and end), the date, and per benchmark its exact command and a table of every figure it "
                    + "printed as name: value: median, min and max over its runs, with each run's wall time and peak RSS.",
                    "A run that fails (non-zero exit, or past --run-timeout) is in the file with its exit code and last "
                            + "lines of output; the others go on, and bench all exits 1."},
            footer = {"%nBenchmarks, with the arguments the suite gives them (sized so that one run of each stays within "
                    + "minutes on two cores; the benchmarks' own defaults are for a longer single measurement):",
                    "${sys:qastream.bench.suite}"})
    static final class All implements java.util.concurrent.Callable<Integer> {
        static {
            // The footer lists the suite from the one place it is defined.
            System.setProperty("qastream.bench.suite", suiteList());
        }

        @Option(names = "--runs", defaultValue = "3", description = "runs of each benchmark (default: ${DEFAULT-VALUE})")
        int runs;

        @Option(names = "--only", split = ",", description = "benchmarks to run, comma-separated (default: all)")
        List<String> only = List.of();

        @Option(names = "--out", defaultValue = "bench/results.md", description = "the results file (default: ${DEFAULT-VALUE})")
        Path out;

        @Option(names = "--run-timeout", defaultValue = "PT30M",
                description = "a run still going after this long is stopped and counts as failed (ISO-8601, default: ${DEFAULT-VALUE})")
        java.time.Duration runTimeout;

        @Option(names = "--work-dir", defaultValue = "target/bench-all", description = "each run's output in logs/ (default: ${DEFAULT-VALUE})")
        Path workDir;

        @Override
        public Integer call() throws Exception {
            if (runs < 1) {
                throw new IllegalArgumentException("--runs must be at least 1");
            }
            List<BenchSuite.Spec> specs = BenchSuite.select(only);
            StringBuilder command = new StringBuilder("./pipeline bench all --runs " + runs);
            if (!only.isEmpty()) {
                command.append(" --only ").append(String.join(",", only));
            }
            boolean ok = new BenchSuite(specs, runs, runTimeout, workDir, System.out).run(out, command.toString());
            return ok ? 0 : 1;
        }

        /** The suite's benchmarks for --help. */
        static String suiteList() {
            StringBuilder s = new StringBuilder();
            for (BenchSuite.Spec spec : BenchSuite.ALL) {
                s.append(String.format("  %-11s ./pipeline %s%n  %11s (%s)%n", spec.name(), String.join(" ", spec.args()),
                        "", spec.note()));
            }
            return s.toString();
        }
    }
}
