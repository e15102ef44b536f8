package dev.qastream.launcher;

import dev.qastream.launcher.bench.IngestBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** Benchmarks that print their figures as {@code name: value} lines. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure throughput; prints name: value lines.",
        subcommands = {BenchCommand.Ingest.class})
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
}
