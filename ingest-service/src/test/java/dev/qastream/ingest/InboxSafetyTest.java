package dev.qastream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qastream.runtime.config.Config;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentRecord;
import dev.qastream.schemas.DocumentStatus;
import dev.qastream.schemas.IngestError;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.qastream.ingest.IngestHarness.appended;
import static dev.qastream.ingest.IngestHarness.positions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * "I cannot see it" is not "it was deleted": a missing, replaced or unreadable inbox, unreadable folders
 * and files; unchanged files are not read again and files still being written are not read half-way; a
 * data dir belongs to one inbox; what is not documentation is skipped. On a real embedded broker and
 * registry. Tests run in order and share one inbox; each works in its own sub-folder until the last two,
 * which move the data dir to another inbox.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InboxSafetyTest extends PlatformTestBase {

    @Test
    @Order(1)
    void anInboxMovedAwayWhileWatchedRemovesNothingAndWorkGoesOnWhenItIsBack() throws Exception {
        // Given two ingested documents
        h.write("keep/a.md", FeatureDoc.of("Safety Feature A", "EUtranCellFDD", "safetyA").markdown());
        h.write("keep/sub/b.md", FeatureDoc.of("Safety Feature B", "NRCellDU", "safetyB").markdown());
        try (IngestService first = h.service()) {
            assertThat(first.scanOnce().ingested()).isEqualTo(2);
        }
        Set<String> seenChunks = positions(h.chunkRecords());
        Set<String> seenDocuments = positions(h.documentRecords());
        String inboxPath = h.inbox.toAbsolutePath().normalize().toString();
        Path away = h.inbox.resolveSibling("inbox-away");

        try (IngestService ingest = h.service(Map.of("ingest.poll-interval-ms", "100", "ingest.settle-ms", "100"))) {
            ingest.start();
            restoreAfterwards(away);

            // When the inbox folder is moved away while the watcher scans every 100 ms
            Files.move(h.inbox, away);
            waitUntil(() -> !errorsAbout(inboxPath).isEmpty());
            Thread.sleep(1_000); // some ten more scans of the missing inbox

            // Then one error says so, once, and nothing is removed
            assertThat(errorsAbout(inboxPath)).singleElement().satisfies(e -> assertThat(e.getReason())
                    .contains("does not exist").contains("nothing is removed"));
            assertThat(loggedAbout(inboxPath)).hasSize(1);
            assertThat(appended(seenChunks, h.chunkRecords())).isEmpty();
            assertThat(appended(seenDocuments, h.documentRecords())).isEmpty();
            assertThat(h.documents().get("keep/a.md").getStatus()).isEqualTo(DocumentStatus.INGESTED);
            assertThat(ingest.total().deleted()).isZero();
            assertThat(ingest.total().refused()).contains("does not exist");

            // When it comes back, and a new document is dropped into it
            Files.move(away, h.inbox);
            h.write("keep/c.md", FeatureDoc.of("Safety Feature C", "GNBCUCPFunction", "safetyC").markdown());

            // Then work goes on: the new document is ingested, and the old ones were never touched
            waitUntil(() -> h.documents().containsKey("keep/c.md"));
            assertThat(h.chunksOf("keep/c.md")).hasSize(5);
            assertThat(appended(seenChunks, h.chunkRecords())).extracting(ConsumerRecord::key)
                    .allSatisfy(key -> assertThat(key).startsWith("keep/c.md#"));
            assertThat(h.chunksOf("keep/a.md")).hasSize(5);
            assertThat(h.chunksOf("keep/sub/b.md")).hasSize(5);
            assertThat(errorsAbout(inboxPath)).hasSize(1);
        }
    }

    @Test
    @Order(2)
    void anEmptyFolderInPlaceOfTheInboxIsRefusedNotTakenForEveryDocumentDeleted() throws Exception {
        // Given an inbox whose documents are ingested, replaced by an empty folder of the same name
        // (what an unmounted drive leaves behind at its mount point)
        Path away = h.inbox.resolveSibling("inbox-unmounted");
        Files.move(h.inbox, away);
        Files.createDirectory(h.inbox);
        Set<String> seenChunks = positions(h.chunkRecords());
        Set<String> seenDocuments = positions(h.documentRecords());

        try (IngestService ingest = h.service()) {
            restoreAfterwards(away);
            // When it is scanned, twice
            ScanReport first = ingest.scanOnce();
            ScanReport second = ingest.scanOnce();

            // Then the scan is refused with a reason, reported once, and nothing is removed
            assertThat(first.refused()).contains("is not the folder this data dir adopted").contains("nothing is removed");
            assertThat(first.errors()).isEqualTo(1);
            assertThat(second.errors()).isZero();
            assertThat(first.deleted() + second.deleted()).isZero();
            assertThat(appended(seenChunks, h.chunkRecords())).isEmpty();
            assertThat(appended(seenDocuments, h.documentRecords()))
                    .as("no document record written").isEmpty();

            // When the real folder is back
            Files.delete(h.inbox);
            Files.move(away, h.inbox);
            ScanReport back = ingest.scanOnce();

            // Then it is scanned as usual, and still nothing was removed
            assertThat(back.refused()).isNull();
            assertThat(back.deleted()).isZero();
            assertThat(back.unchanged()).isEqualTo(3);
            assertThat(appended(seenChunks, h.chunkRecords())).isEmpty();
        }
    }

    @Test
    @Order(3)
    void anUnreadableFolderOrFileIsAnErrorNotADeletion() {
        // Given three ingested documents, one in a sub-folder
        h.write("locked/open.md", FeatureDoc.of("Open Feature", "EUtranCellFDD", "openParam").markdown());
        h.write("locked/secret/inner.md", FeatureDoc.of("Inner Feature", "NRCellCU", "innerParam").markdown());
        h.write("locked/file.md", FeatureDoc.of("Locked File Feature", "NRCellDU", "lockedParam").markdown());
        try (IngestService first = h.service()) {
            assertThat(first.scanOnce().ingested()).isEqualTo(3);
        }
        Set<String> seenChunks = positions(h.chunkRecords());

        // When the sub-folder cannot be listed and one file cannot be read (permission denied, injected)
        FaultyFiles files = new FaultyFiles();
        files.unlistable.add(h.inbox.resolve("locked/secret"));
        files.unreadable.add(h.inbox.resolve("locked/file.md"));
        try (IngestService ingest = h.service(Map.of(), files)) {
            ScanReport report = ingest.scanOnce();
            ScanReport again = ingest.scanOnce();

            // Then each is one error with the reason, reported once, and no document or chunk is removed
            assertThat(report.errors()).isEqualTo(2);
            assertThat(again.errors()).isZero();
            assertThat(report.deleted() + again.deleted()).isZero();
            assertThat(errorsAbout("locked/secret/")).singleElement().satisfies(e ->
                    assertThat(e.getReason()).startsWith("folder cannot be read (permission denied)"));
            assertThat(errorsAbout("locked/file.md")).singleElement().satisfies(e ->
                    assertThat(e.getReason()).startsWith("file cannot be read (permission denied)"));
            assertThat(appended(seenChunks, h.chunkRecords())).isEmpty();
            assertThat(h.documents().get("locked/secret/inner.md").getStatus()).isEqualTo(DocumentStatus.INGESTED);
            assertThat(h.chunksOf("locked/secret/inner.md")).hasSize(5);
            DocumentRecord locked = h.documents().get("locked/file.md");
            assertThat(locked.getStatus()).isEqualTo(DocumentStatus.FAILED);
            assertThat(locked.getChunkChecksums()).hasSize(5);
            assertThat(h.chunksOf("locked/file.md")).hasSize(5);

            // When the inbox itself cannot be listed
            files.unlistable.add(h.inbox);
            ScanReport blind = ingest.scanOnce();

            // Then the scan is refused, nothing removed
            assertThat(blind.refused()).contains("cannot be read").contains("permission denied");
            assertThat(blind.deleted()).isZero();

            // When everything can be read again
            files.unlistable.clear();
            files.unreadable.clear();
            ScanReport healed = ingest.scanOnce();

            // Then the file is ingested again, with nothing to resend, and still nothing was removed
            assertThat(healed.refused()).isNull();
            assertThat(healed.ingested()).isEqualTo(1);
            assertThat(healed.chunksSent()).isZero();
            assertThat(h.documents().get("locked/file.md").getStatus()).isEqualTo(DocumentStatus.INGESTED);
            assertThat(appended(seenChunks, h.chunkRecords())).isEmpty();
        }
    }

    @Test
    @Order(4)
    void unchangedFilesAreNotReadAgainAndASlowCopyWithAnOldTimeIsNotReadHalfWritten() throws Exception {
        // Given two documents, read once by a service
        FaultyFiles files = new FaultyFiles();
        FeatureDoc doc = FeatureDoc.of("Reread Feature", "EUtranCellFDD", "rereadParam");
        Path one = h.write("reads/one.md", doc.markdown());
        Path two = h.write("reads/two.md", FeatureDoc.of("Kept Feature", "NRCellDU", "keptParam").markdown());
        try (IngestService ingest = h.service(Map.of(), files)) {
            ingest.scanOnce();
            assertThat(files.reads(one)).isEqualTo(1);
            assertThat(files.reads(two)).isEqualTo(1);

            // When the inbox is scanned twenty more times without a change
            for (int i = 0; i < 20; i++) {
                assertThat(ingest.scanOnce().ingested()).isZero();
            }

            // Then no file was read again
            assertThat(files.reads(one)).isEqualTo(1);
            assertThat(files.reads(two)).isEqualTo(1);

            // When one of them is edited
            h.write("reads/one.md", doc.with(FeatureDoc.GUIDELINES, "Keep the reread threshold low.").markdown());
            ScanReport edited = ingest.scanOnce();

            // Then that one is read, once
            assertThat(edited.ingested()).isEqualTo(1);
            assertThat(files.reads(one)).isEqualTo(2);
            assertThat(files.reads(two)).isEqualTo(1);
        }

        // Given a copy that writes slowly and sets an old modification time after each write (cp -p, rsync)
        String id = "reads/slow.md";
        String full = FeatureDoc.of("Slow Copy Feature", "NRCellCU", "slowCopy").markdown();
        int step = full.length() / 4;
        FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Path slow = h.write(id, full.substring(0, step));
        Files.setLastModifiedTime(slow, old);
        try (IngestService ingest = h.service(Map.of("ingest.settle-ms", "700"), files)) {
            for (int part = 1; part < 4; part++) {
                // When the inbox is scanned while the copy goes on (900 ms in all, more than the settle time)
                ScanReport during = ingest.scanOnce();

                // Then the file is pending, not read (and so are the others: a new service has seen none settle)
                assertThat(during.pending()).isPositive();
                assertThat(during.ingested()).isZero();
                assertThat(files.reads(slow)).isZero();
                Thread.sleep(300);
                String rest = part < 3 ? full.substring(part * step, (part + 1) * step) : full.substring(part * step);
                Files.writeString(slow, rest, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                Files.setLastModifiedTime(slow, old);
            }
            assertThat(h.documents()).doesNotContainKey(id);

            // When the copy has finished and ingest scans until the inbox settles
            ScanReport settled = ingest.scanUntilSettled();

            // Then the whole file is read once and ingested
            assertThat(settled.ingested()).isEqualTo(1);
            assertThat(files.reads(slow)).isEqualTo(1);
            assertThat(h.documents().get(id).getChecksum())
                    .isEqualTo(IngestService.sha256(full.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    @Order(5)
    void whatIsNotDocumentationIsSkippedAndCountedAndANewRuleRemovesWhatItNowCovers() throws Exception {
        // Given documents beside licence files, hidden and build folders, a CSV and a drafts folder
        String feature = FeatureDoc.of("Ignore Feature", "EUtranCellFDD", "ignoreParam").markdown();
        h.write("ignored/doc.md", feature);
        h.write("ignored/drafts/draft.md", FeatureDoc.of("Draft Feature", "NRCellDU", "draftParam").markdown());
        h.write("ignored/LICENSE", "Licensed under the terms below.");
        h.write("ignored/NOTICE.md", "# Notice\n\nThird-party notices.");
        h.write("ignored/.cache/x.md", feature);
        h.write("ignored/target/generated.md", feature);
        h.write("ignored/node_modules/pkg/README.md", feature);
        h.write("ignored/table.csv", "name,value\na,1\n");
        String configured = Config.load(null, Map.of()).string("ingest.ignore") + ", *.csv";

        try (IngestService ingest = h.service(Map.of("ingest.ignore", configured))) {
            // When the inbox is scanned with the defaults plus a configured pattern
            ScanReport report = ingest.scanOnce();

            // Then only the documents are ingested; the six others are counted as skipped, not errors
            assertThat(report.ingested()).isEqualTo(2);
            assertThat(report.skipped()).isEqualTo(6);
            assertThat(report.errors()).isZero();
            assertThat(h.documents().keySet().stream().filter(k -> k.startsWith("ignored/")))
                    .containsExactlyInAnyOrder("ignored/doc.md", "ignored/drafts/draft.md");
            assertThat(h.errors()).noneSatisfy(e -> assertThat(e.getPath()).startsWith("ignored/"));

            // When a .qastreamignore in the inbox leaves drafts out
            Files.writeString(h.inbox.resolve(IgnoreRules.FILE_NAME), "# not for training\ndrafts/\n");
            ScanReport again = ingest.scanOnce();

            // Then the draft, ingested before, is removed like a deleted file, and is skipped from now on
            assertThat(again.deleted()).isEqualTo(1);
            assertThat(again.skipped()).isEqualTo(7);
            assertThat(h.documents()).doesNotContainKey("ignored/drafts/draft.md").containsKey("ignored/doc.md");
            assertThat(h.chunksOf("ignored/drafts/draft.md")).isEmpty();
        }
    }

    @Test
    @Order(6)
    void aDataDirBelongsToOneInboxAndAnotherIsRefusedUnlessAskedFor() throws Exception {
        // Given a data dir whose documents come from the inbox, and another inbox with one document
        Path other = Files.createDirectories(dir.resolve("other-inbox"));
        Files.writeString(other.resolve("new.md"), FeatureDoc.of("Other Inbox Feature", "NRCellDU", "otherParam").markdown());
        int known = h.documents().size();
        Set<String> seenDocuments = positions(h.documentRecords());
        String inboxPath = h.inbox.toAbsolutePath().normalize().toString();

        // When a service is started on the same data dir with the other inbox
        try (IngestService wrong = h.service(Map.of("inbox", other.toString()))) {
            // Then it refuses, saying what would be removed and how to keep both
            assertThatThrownBy(wrong::open).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("belongs to inbox " + inboxPath)
                    .hasMessageContaining("would remove " + known + " of them")
                    .hasMessageContaining("--data-dir")
                    .hasMessageContaining("--switch-inbox");
            assertThatThrownBy(wrong::scanOnce).hasMessageContaining("belongs to inbox " + inboxPath);
        }
        assertThat(appended(seenDocuments, h.documentRecords())).isEmpty();

        // When the change is asked for explicitly
        try (IngestService switched = h.service(Map.of("inbox", other.toString(), "ingest.allow-inbox-change", "true"))) {
            ScanReport report = switched.scanOnce();

            // Then the data dir moves to the other inbox: its document in, the first inbox's out
            assertThat(report.ingested()).isEqualTo(1);
            assertThat(report.deleted()).isEqualTo(known);
            assertThat(h.documents()).containsOnlyKeys("new.md");
        }

        // And from then on the first inbox is the other one
        try (IngestService back = h.service()) {
            assertThatThrownBy(back::open).hasMessageContaining("belongs to inbox " + other.toAbsolutePath().normalize());
        }
    }

    @Test
    @Order(7)
    void theAdoptedInboxReallyEmptiedRemovesItsDocuments() throws Exception {
        // Given the data dir's inbox (the other one since the last test) with one ingested document
        Path other = dir.resolve("other-inbox");
        Map<String, String> otherInbox = Map.of("inbox", other.toString());

        // When its only file is deleted: the folder is there, readable, the same folder, and empty
        Files.delete(other.resolve("new.md"));
        try (IngestService ingest = h.service(otherInbox)) {
            ScanReport report = ingest.scanOnce();

            // Then that is the user's removal, and it is carried out
            assertThat(report.refused()).isNull();
            assertThat(report.deleted()).isEqualTo(1);
            assertThat(h.documents()).isEmpty();
            Map<String, Chunk> chunks = h.chunks();
            assertThat(chunks).isEmpty();
        }
    }

    /** Should a test fail half-way, the tests after it still find the real inbox in place. */
    private static void restoreAfterwards(Path away) {
        restore = away;
    }

    private static Path restore;

    @AfterEach
    void putTheInboxBack() throws Exception {
        if (restore != null && Files.isDirectory(restore)) {
            if (Files.isDirectory(h.inbox)) {
                try (var leftovers = Files.list(h.inbox)) {
                    if (leftovers.findAny().isEmpty()) {
                        Files.delete(h.inbox);
                    }
                }
            }
            if (!Files.exists(h.inbox)) {
                Files.move(restore, h.inbox);
            }
        }
        restore = null;
    }

    private static List<IngestError> errorsAbout(String path) {
        return h.errors().stream().filter(e -> e.getPath().equals(path)).toList();
    }

    private static List<JsonNode> loggedAbout(String path) {
        return h.errorLogLines().stream().filter(l -> l.get("path").asText().equals(path)).toList();
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(200);
        }
    }
}
