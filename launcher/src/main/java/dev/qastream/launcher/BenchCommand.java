package dev.qastream.launcher;

import dev.qastream.launcher.bench.ExportBench;
import dev.qastream.launcher.bench.IngestBench;
import dev.qastream.sink.export.ExportFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** Benchmarks that print their figures as {@code name: value} lines. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure throughput; prints name: value lines.",
        subcommands = {BenchCommand.Ingest.class, BenchCommand.Export.class})
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
}
