package dev.qastream.launcher;

import dev.qastream.ingest.ScanReport;
import dev.qastream.launcher.report.ReportFiles;
import dev.qastream.runtime.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Processes every file in the inbox once and exits 0 when all of it has flowed through every stage;
 * non-zero with the reason otherwise.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, description = "Process the inbox once, wait until every stage is done, print a summary, exit.")
final class BatchCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--switch-inbox", description = "let the data dir switch to this inbox, removing from the dataset "
            + "the documents of its former inbox that are not in this one (config: ingest.allow-inbox-change)")
    boolean switchInbox;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "give up after this long (ISO-8601, default PT30M)")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        if (switchInbox) {
            config = config.with("ingest.allow-inbox-change", true);
        }
        if (!Files.isDirectory(config.path("inbox"))) {
            System.err.println("error: inbox folder does not exist: " + config.path("inbox").toAbsolutePath());
            return 2;
        }
        long t0 = System.nanoTime();
        try (Stack stack = Stack.start(config)) {
            System.out.printf("stack up in %.1f s; ingesting %s%n", stack.startupMs() / 1000.0,
                    config.path("inbox").toAbsolutePath());
            ScanReport scan = stack.ingest().scanUntilSettled();
            String lagging = Drain.await(stack, timeout, System.out::println);
            double seconds = (System.nanoTime() - t0) / 1e9;
            print(stack, scan, seconds, config);
            writeReport(stack, config);
            if (scan.refused() != null) {
                System.err.println("error: the inbox was not scanned: " + scan.refused());
                return 1;
            }
            if (lagging != null) {
                System.err.println("error: not finished after " + timeout + "; still lagging: " + lagging);
                return 1;
            }
            return 0;
        }
    }

    private static void writeReport(Stack stack, Config config) {
        try {
            long t0 = System.nanoTime();
            ReportFiles.writeFromTopics(stack.context(), config.path("out"));
            System.out.printf("quality report: %s (figures in %s; built in %.1f s)%n",
                    config.path("out").resolve(ReportFiles.HTML_FILE), ReportFiles.JSON_FILE, (System.nanoTime() - t0) / 1e9);
        } catch (IOException | RuntimeException e) {
            System.err.println("warning: quality report not written: " + e.getMessage());
        }
    }

    /** Facts covered over all documents, from the coverage stage's meters (qastream.coverage.*). */
    static String coverageLine(io.micrometer.core.instrument.MeterRegistry meters) {
        double facts = gauge(meters, "qastream.coverage.facts");
        double covered = gauge(meters, "qastream.coverage.covered");
        io.micrometer.core.instrument.Counter followUps = meters.find("qastream.coverage.followups").counter();
        if (!(facts > 0)) {
            return "coverage            - (no facts yet)";
        }
        return String.format(java.util.Locale.ROOT, "coverage       %6.0f of %.0f facts covered (%.0f%%), diversity %.2f, "
                        + "%.0f follow-up rounds (./pipeline coverage)", covered, facts, 100 * covered / facts,
                gauge(meters, "qastream.coverage.diversity"), followUps == null ? 0 : followUps.count());
    }

    private static double gauge(io.micrometer.core.instrument.MeterRegistry meters, String name) {
        io.micrometer.core.instrument.Gauge g = meters.find(name).gauge();
        return g == null ? Double.NaN : g.value();
    }

    private static void print(Stack stack, ScanReport scan, double seconds, Config config) {
        Counts c = Counts.of(stack);
        System.out.println("---------------- batch summary ----------------");
        System.out.printf("documents      %6d new or changed, %d unchanged, %d deleted, %d skipped (ignore rules)%n",
                scan.ingested(), scan.unchanged(), scan.deleted(), scan.skipped());
        System.out.printf("chunks         %6d sent, %d removed%n", scan.chunksSent(), scan.chunksRemoved());
        System.out.printf("pairs          %6.0f generated, %.0f dead-lettered%n", c.pairs(), c.deadLetters());
        System.out.printf("scored         %6.0f accepted, %.0f rejected%n", c.accepted(), c.rejected());
        System.out.printf("errors         %6d (see %s)%n", scan.errors(),
                config.path("out").resolve("ingest-errors.jsonl"));
        System.out.printf("dataset        %6d pairs in %s%n", c.dataset(), config.path("out").resolve("dataset.jsonl"));
        System.out.println(coverageLine(stack.context().meters()));
        GenerationSummary.print(stack.context().meters(), stack.generation().emptyChunks(), System.out);
        System.out.printf("time           %6.1f s (stack start %.1f s)%n", seconds, stack.startupMs() / 1000.0);
        System.out.println("-----------------------------------------------");
    }
}
