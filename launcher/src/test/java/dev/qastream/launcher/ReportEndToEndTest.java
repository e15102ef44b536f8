package dev.qastream.launcher;

import dev.qastream.ingest.ScanReport;
import dev.qastream.launcher.report.QualityReport;
import dev.qastream.launcher.report.ReportFiles;
import dev.qastream.launcher.report.ReportUpdater;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.TopicSnapshot;
import dev.qastream.schemas.ScoredPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quality report against a real batch run: a real broker and registry, all four services, a small inbox
 * with one unreadable file. The report's counts must match what the stages counted and what the topics hold,
 * both when written at the end (batch) and when kept current while running (up).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ReportEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void reportCountsMatchTheBatchAndTheTopics() throws Exception {
        // Given the three end-to-end documents and an empty file in the inbox
        Path inbox = dir.resolve("inbox");
        E2eFixtures.copyTo(inbox);
        Files.writeString(inbox.resolve("empty.md"), "");
        Path out = dir.resolve("out");
        Path live = dir.resolve("live");
        // One generation pass per chunk (no coverage follow-ups), and no limit of pairs per fact: the counts
        // compared below are of that pass, and the stage's meters count records written, which a pair demoted
        // by a later, better one of its fact (a second record) would make differ from the topics' pairs.
        Config config = Config.load(null).with(Map.of("data-dir", dir.resolve("data").toString(),
                "inbox", inbox.toString(), "out", out.toString(), "http.port", "0", "ingest.settle-ms", "200",
                "coverage.max-rounds", "0",
                "coverage.pairs-per-fact", "0"));

        try (Stack stack = Stack.start(config)) {
            // and the report updater of `up` following the topics
            ReportUpdater updater = new ReportUpdater(stack.context(), live, Duration.ofMillis(300));
            stack.attach(updater);

            // When the inbox is processed and every stage has drained
            ScanReport scan = stack.ingest().scanUntilSettled();
            assertThat(Drain.await(stack, Duration.ofMinutes(3), s -> { })).isNull();
            Counts counts = Counts.of(stack);

            // and the report is written as at the end of a batch
            QualityReport report = ReportFiles.writeFromTopics(stack.context(), out);

            // Then its counts are the batch's counts
            QualityReport.Counts c = report.counts();
            assertThat(c.documents()).isEqualTo(scan.ingested()).isEqualTo(3);
            assertThat(c.documentsFailed()).isEqualTo(1);
            // and the coverage section covers each ingested document
            assertThat(report.coverage().documents()).hasSize(3);
            assertThat(report.coverage().covered()).isPositive().isLessThanOrEqualTo(report.coverage().facts());
            assertThat(c.ingestErrors()).isEqualTo(scan.errors()).isEqualTo(1);
            assertThat(c.chunks()).isEqualTo(scan.chunksSent());
            assertThat(c.pairs()).isEqualTo((long) counts.pairs()).isPositive();
            assertThat(c.accepted()).isEqualTo((long) counts.accepted()).isPositive();
            assertThat(c.rejected()).isEqualTo((long) counts.rejected());
            assertThat(c.deadLetters()).isEqualTo((long) counts.deadLetters());
            assertThat(c.dataset()).isEqualTo(counts.dataset())
                    .isEqualTo(Files.readAllLines(out.resolve("dataset.jsonl")).size());
            // and the topics' contents
            Map<String, ScoredPair> scored = TopicSnapshot.latest(stack.context().kafka(), stack.context().topics().scored);
            assertThat(c.pairs()).isEqualTo(scored.values().stream().filter(p -> !p.getPair().getRemoved()).count());
            // (slots a chunk did not fill carry versioned removals: never pairs, and in a fresh batch no pair left the
            // dataset, so "Removed" is 0 however many empty slots were cleared)
            assertThat(c.removals()).isZero();
            assertThat(c.accepted()).isEqualTo(scored.values().stream().filter(ScoredPair::getAccepted).count());
            assertThat(c.dataset()).isEqualTo(TopicSnapshot.latest(stack.context().kafka(),
                    stack.context().topics().dataset).size());
            // and every section adds up to the same totals
            assertThat(report.acceptance().byTier().stream().mapToLong(QualityReport.Group::pairs).sum()).isEqualTo(c.pairs());
            assertThat(report.acceptance().combinations().stream().mapToLong(QualityReport.Combination::accepted).sum())
                    .isEqualTo(c.accepted());
            assertThat(report.scores().get(0).score()).isEqualTo("overall");
            assertThat(report.scores().get(0).bins().stream().mapToLong(Long::longValue).sum()).isEqualTo(c.pairs());
            assertThat(report.questionTypes().stream().mapToLong(QualityReport.Group::pairs).sum()).isEqualTo(c.pairs());
            assertThat(report.metadataCompleteness().records()).isEqualTo(c.dataset());
            assertThat(report.metadataCompleteness().fields()).filteredOn(f -> f.field().equals("source document"))
                    .singleElement().extracting(QualityReport.Field::share).isEqualTo(1.0);
            assertThat(report.ingestErrors().recent()).singleElement()
                    .extracting(QualityReport.IngestError::path).isEqualTo("empty.md");
            assertThat(report.timing().documentsMeasured()).isEqualTo(3);
            assertThat(report.timing().toDatasetMs().count()).isEqualTo(3);
            // and the files are there, the JSON reading back the same figures
            assertThat(ReportFiles.read(out.resolve(ReportFiles.JSON_FILE))).isEqualTo(report);
            assertThat(Files.readString(out.resolve(ReportFiles.HTML_FILE)))
                    .contains("data-metric=\"pairs\" data-value=\"" + c.pairs() + "\"", "<svg");

            // and the report kept current while running catches up with the same counts
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            QualityReport.Counts followed = null;
            while (System.nanoTime() < deadline) {
                Path json = live.resolve(ReportFiles.JSON_FILE);
                followed = Files.exists(json) ? ReportFiles.read(json).counts() : null;
                if (c.equals(followed)) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(followed).isEqualTo(c);
            assertThat(updater.writes()).isGreaterThan(1);
            assertThat(updater.healthy()).isTrue();

            // and /metrics serves the pipeline's meters and the Kafka clients' and Streams apps' own
            String scrape = stack.http().meters().scrape();
            Files.writeString(Path.of("target/metrics-scrape.txt"), scrape);
            assertThat(scrape).contains("qastream_ingest_documents_total 3.0", "qastream_ingest_bytes_total",
                    "qastream_ingest_chunks_removed_total", "qastream_sink_records_total{change=\"upsert\"}",
                    "qastream_dataset_pairs " + c.dataset() + ".0");
            for (String meter : DashboardMeters.KAFKA) {
                assertThat(scrape).as("Kafka client meter %s", meter).contains(meter);
            }
        }
    }

}
