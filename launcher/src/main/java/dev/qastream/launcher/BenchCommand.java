package dev.qastream.launcher;

import dev.qastream.launcher.bench.GenerationBench;
import dev.qastream.launcher.bench.IngestBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Benchmarks that print their figures as {@code name: value} lines. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure throughput; prints name: value lines.",
        subcommands = {BenchCommand.Ingest.class, BenchCommand.Generation.class})
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

        private static Path defaultCorpus() {
            for (Path p : new Path[] {Path.of("../shared/corpus/oai"), Path.of("shared/corpus/oai")}) {
                if (Files.isDirectory(p)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("no corpus found; pass --corpus DIR");
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

        private static Path findCorpus() {
            for (Path p : new Path[] {Path.of("../shared/corpus/oai"), Path.of("shared/corpus/oai"), Path.of("/work/shared/corpus/oai")}) {
                if (Files.isDirectory(p)) {
                    return p;
                }
            }
            return null;
        }
    }
}
