package dev.qastream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentRecord;
import dev.qastream.schemas.DocumentStatus;
import dev.qastream.schemas.IngestError;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.qastream.ingest.IngestHarness.appended;
import static dev.qastream.ingest.IngestHarness.byKey;
import static dev.qastream.ingest.IngestHarness.positions;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watched-folder semantics of ingest on a real embedded broker and registry: create, change, shrink,
 * delete, restart, half-written files, symbolic links and the watcher thread.
 *
 * <p>All tests share one inbox (a scan treats every known document missing from the inbox as deleted), so
 * each test works in its own sub-folder and only asserts on its own documents; everything a test leaves
 * behind is ingested and unchanged for the tests after it. A fresh {@link IngestService} per test restores
 * its state from ingest.documents, like a restarted service.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestServiceTest extends PlatformTestBase {

    @Test
    @Order(1)
    void newFilesAreIngestedWithTheSubFolderInTheirIds() throws Exception {
        // Given a new document at the top of the inbox and one in a sub-folder
        h.write("a.md", FeatureDoc.of("Uplink Load Balancing", "EUtranCellFDD", "ulLoadBalancing").markdown());
        Path b = h.write("sub/b.md", FeatureDoc.of("Carrier Steering", "NRCellDU", "carrierSteering").markdown());

        // When the inbox is scanned
        ScanReport report;
        try (IngestService ingest = h.service()) {
            report = ingest.scanOnce();
        }

        // Then both are ingested, chunk ids carry the sub-folder, and each document is recorded with its checksums
        assertThat(report.ingested()).isEqualTo(2);
        assertThat(report.errors()).isZero();
        Map<String, Chunk> aChunks = h.chunksOf("a.md");
        Map<String, Chunk> bChunks = h.chunksOf("sub/b.md");
        assertThat(aChunks).containsKey("a.md#0");
        assertThat(bChunks.keySet()).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, bChunks.size()).mapToObj(i -> "sub/b.md#" + i).toList());
        assertThat(bChunks).containsKey("sub/b.md#0").hasSize(5);
        assertThat(report.chunksSent()).isEqualTo(aChunks.size() + bChunks.size());
        assertThat(bChunks.get("sub/b.md#1").getText()).contains("NRCellDU.carrierSteering");

        DocumentRecord record = h.documents().get("sub/b.md");
        assertThat(record.getStatus()).isEqualTo(DocumentStatus.INGESTED);
        assertThat(record.getChecksum()).isEqualTo(IngestService.sha256(Files.readAllBytes(b)));
        assertThat(record.getChunkChecksums()).containsExactlyElementsOf(
                IntStream.range(0, bChunks.size()).mapToObj(i -> bChunks.get("sub/b.md#" + i).getChecksum()).toList());
    }

    @Test
    @Order(2)
    void editingOneSectionResendsOnlyTheChunkWhoseTextChanged() {
        // Given an ingested document
        String id = "change/power.md";
        FeatureDoc doc = FeatureDoc.of("Dynamic Uplink Power Boost", "EUtranCellFDD", "ulPowerBoost");
        h.write(id, doc.markdown());
        try (IngestService ingest = h.service()) {
            ingest.scanOnce();
            Map<String, Chunk> before = h.chunksOf(id);
            String guidelines = chunkIdOfSection(before, FeatureDoc.GUIDELINES);
            Set<String> seen = positions(h.chunkRecords());

            // When only its Engineering Guidelines section is edited
            h.write(id, doc.with(FeatureDoc.GUIDELINES, "Enable the power boost only in cells whose edge UEs "
                    + "report RSRP below -115 dBm; elsewhere it raises uplink interference.").markdown());
            ScanReport report = ingest.scanOnce();

            // Then exactly that section's chunk is sent again, with the new text
            List<ConsumerRecord<String, Chunk>> sent = appended(seen, h.chunkRecords());
            assertThat(sent).extracting(ConsumerRecord::key).containsExactly(guidelines);
            assertThat(sent.getFirst().value().getText()).contains("below -115 dBm");
            assertThat(report.ingested()).isEqualTo(1);
            assertThat(report.chunksSent()).isEqualTo(1).isLessThan(before.size());
            assertThat(report.chunksRemoved()).isZero();
            assertThat(h.documents().get(id).getChunkChecksums()).hasSize(before.size());
        }
    }

    @Test
    @Order(3)
    void shrinkingAFileTombstonesTheChunksThatDisappeared() {
        // Given an ingested document of five sections (five chunks)
        String id = "shrink/paging.md";
        FeatureDoc doc = FeatureDoc.of("Paging Load Control", "NRCellDU", "pagingLoadLimit");
        h.write(id, doc.markdown());
        try (IngestService ingest = h.service()) {
            ingest.scanOnce();
            assertThat(h.chunksOf(id)).hasSize(5);
            Set<String> seen = positions(h.chunkRecords());

            // When its last two sections are removed
            h.write(id, doc.without(FeatureDoc.OPERATION, FeatureDoc.GUIDELINES).markdown());
            ScanReport report = ingest.scanOnce();

            // Then the two vanished ordinals are tombstoned and nothing else is sent
            Map<String, Chunk> sent = byKey(appended(seen, h.chunkRecords()));
            assertThat(sent).containsOnlyKeys(id + "#3", id + "#4");
            assertThat(sent.values()).containsOnlyNulls();
            assertThat(report.chunksRemoved()).isEqualTo(2);
            assertThat(report.chunksSent()).isZero();
            assertThat(h.chunksOf(id)).containsOnlyKeys(id + "#0", id + "#1", id + "#2");
            assertThat(h.documents().get(id).getChunkChecksums()).hasSize(3);
        }
    }

    @Test
    @Order(4)
    void deletingAFileTombstonesAllItsChunksAndItsDocumentRecord() throws Exception {
        // Given an ingested document
        String id = "delete/gone.md";
        Path file = h.write(id, FeatureDoc.of("Idle Mode DRX", "EUtranCellTDD", "drxCycle").markdown());
        try (IngestService ingest = h.service()) {
            ingest.scanOnce();
            Set<String> chunkIds = h.chunksOf(id).keySet();
            assertThat(chunkIds).hasSize(5);
            Set<String> seenChunks = positions(h.chunkRecords());
            Set<String> seenDocuments = positions(h.documentRecords());

            // When the file is deleted
            Files.delete(file);
            ScanReport report = ingest.scanOnce();

            // Then every chunk and the document record get a tombstone, and nothing else is written
            Map<String, Chunk> sent = byKey(appended(seenChunks, h.chunkRecords()));
            assertThat(sent).containsOnlyKeys(chunkIds);
            assertThat(sent.values()).containsOnlyNulls();
            Map<String, DocumentRecord> documentsSent = byKey(appended(seenDocuments, h.documentRecords()));
            assertThat(documentsSent).containsOnlyKeys(id);
            assertThat(documentsSent.get(id)).isNull();
            assertThat(report.deleted()).isEqualTo(1);
            assertThat(report.chunksRemoved()).isEqualTo(5);
            assertThat(h.chunksOf(id)).isEmpty();
            assertThat(h.documents()).doesNotContainKey(id);
        }
    }

    @Test
    @Order(5)
    void aLinkToAFileOutsideTheInboxIsNotFollowedButALinkInsideIs() throws Exception {
        // Given a link to a document outside the inbox, and a link to a document inside it
        Path secret = h.outside.resolve("secret.md");
        Files.writeString(secret, FeatureDoc.of("Outside Secret Feature", "SecretCell", "outsideOnlyParam").markdown());
        Files.createDirectories(h.inbox.resolve("links"));
        Files.createSymbolicLink(h.inbox.resolve("links/outside.md"), secret);
        h.write("links/target.md", FeatureDoc.of("Link Target Feature", "EUtranCellFDD", "aliasTargetParam").markdown());
        Files.createSymbolicLink(h.inbox.resolve("links/alias.md"), Path.of("target.md"));

        try (IngestService ingest = h.service()) {
            // When the inbox is scanned, twice
            ScanReport first = ingest.scanOnce();
            ScanReport second = ingest.scanOnce();

            // Then the outside link is one error with a reason, and its target's content is never published
            assertThat(first.errors()).isEqualTo(1);
            assertThat(second.errors()).isZero();
            List<IngestError> errors = h.errors().stream().filter(e -> e.getPath().equals("links/outside.md")).toList();
            assertThat(errors).singleElement().satisfies(e ->
                    assertThat(e.getReason()).startsWith("symbolic link points outside the inbox"));
            List<JsonNode> logged = h.errorLogLines().stream()
                    .filter(l -> l.get("path").asText().equals("links/outside.md")).toList();
            assertThat(logged).singleElement().satisfies(l ->
                    assertThat(l.get("reason").asText()).isEqualTo(errors.getFirst().getReason()));
            assertThat(h.chunkRecords()).noneSatisfy(r -> {
                assertThat(r.key()).startsWith("links/outside.md");
            }).allSatisfy(r -> {
                if (r.value() != null) {
                    assertThat(r.value().getText()).doesNotContain("outsideOnlyParam", "Outside Secret Feature");
                }
            });

            // And the link inside the inbox is ingested under its own name, like a file
            Map<String, Chunk> alias = h.chunksOf("links/alias.md");
            assertThat(alias).hasSize(5);
            assertThat(alias.get("links/alias.md#1").getText()).contains("EUtranCellFDD.aliasTargetParam");
            assertThat(h.chunksOf("links/target.md")).hasSize(5);
        }
    }

    @Test
    @Order(6)
    void aRestartedServiceResendsNothingForUnchangedFiles() {
        // Given an inbox whose files were all ingested by a service that has stopped
        h.write("restart/r.md", FeatureDoc.of("Restart Feature", "GNBDUFunction", "restartTimer").markdown());
        try (IngestService first = h.service()) {
            assertThat(first.scanOnce().ingested()).isEqualTo(1);
        }
        Set<String> seenChunks = positions(h.chunkRecords());
        Set<String> seenDocuments = positions(h.documentRecords());
        int errorsBefore = h.errors().size();
        int loggedBefore = h.errorLogLines().size();

        // When a new service scans the same inbox
        ScanReport report;
        try (IngestService second = h.service()) {
            report = second.scanOnce();
        }

        // Then it sends nothing: no chunk, no document record, no repeated error (the outside link included)
        assertThat(report.ingested()).isZero();
        assertThat(report.chunksSent()).isZero();
        assertThat(report.chunksRemoved()).isZero();
        assertThat(report.deleted()).isZero();
        assertThat(report.errors()).isZero();
        assertThat(report.unchanged()).isPositive();
        assertThat(appended(seenChunks, h.chunkRecords())).isEmpty();
        assertThat(appended(seenDocuments, h.documentRecords())).isEmpty();
        assertThat(h.errors()).hasSize(errorsBefore);
        assertThat(h.errorLogLines()).hasSize(loggedBefore);
    }

    @Test
    @Order(7)
    void aFileStillBeingWrittenIsNotReadUntilItSettles() throws Exception {
        // Given a settle time of 1.5 s and the first half of a document just written
        String id = "settling/partial.md";
        String full = FeatureDoc.of("Half Written Feature", "EUtranCellFDD", "halfWritten").markdown();
        int half = full.indexOf("## " + FeatureDoc.PARAMETERS);
        Path file = h.write(id, full.substring(0, half));
        try (IngestService ingest = h.service(Map.of("ingest.settle-ms", "1500"))) {
            // When the inbox is scanned at once
            ScanReport early = ingest.scanOnce();

            // Then the file is pending and nothing of it is published
            assertThat(early.pending()).isPositive();
            assertThat(early.ingested()).isZero();
            assertThat(h.documents()).doesNotContainKey(id);
            assertThat(h.chunksOf(id)).isEmpty();

            // When the copy finishes and ingest scans until the inbox has settled
            Files.writeString(file, full.substring(half), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            ScanReport settled = ingest.scanUntilSettled();

            // Then the whole file is ingested, once
            assertThat(settled.ingested()).isEqualTo(1);
            assertThat(settled.pending()).isZero();
            assertThat(h.documents().get(id).getChecksum())
                    .isEqualTo(IngestService.sha256(full.getBytes(StandardCharsets.UTF_8)));
            assertThat(h.chunksOf(id)).hasSize(5);
            assertThat(h.chunksOf(id).get(id + "#1").getText()).contains("EUtranCellFDD.halfWritten");
        }
    }

    @Test
    @Order(8)
    void theWatcherThreadPicksUpAFileDroppedWhileItRuns() throws Exception {
        // Given the watcher running
        String id = "watched/dropped.md";
        try (IngestService ingest = h.service(Map.of("ingest.settle-ms", "200", "ingest.poll-interval-ms", "100"))) {
            ingest.start();
            assertThat(ingest.healthy()).isTrue();

            // When a document is dropped into the inbox
            h.write(id, FeatureDoc.of("Watched Feature", "NRCellCU", "watchedParam").markdown());

            // Then its chunks appear on ingest.chunks without anyone calling scan
            long deadline = System.currentTimeMillis() + 30_000;
            while (!h.chunksOf(id).containsKey(id + "#0") && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(h.chunksOf(id)).containsKey(id + "#0").hasSize(5);
            assertThat(h.documents().get(id).getStatus()).isEqualTo(DocumentStatus.INGESTED);
        }
    }

    /** The id of the one chunk of a section (the fixture's sections are each one chunk). */
    private static String chunkIdOfSection(Map<String, Chunk> chunks, String section) {
        List<String> ids = chunks.entrySet().stream()
                .filter(e -> e.getValue().getSectionPath().contains(section)).map(Map.Entry::getKey).toList();
        assertThat(ids).as("chunks of section %s", section).hasSize(1);
        return ids.getFirst();
    }
}
