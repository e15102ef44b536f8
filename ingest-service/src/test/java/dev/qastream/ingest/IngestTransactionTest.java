package dev.qastream.ingest;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.qastream.ingest.IngestHarness.appended;
import static dev.qastream.ingest.IngestHarness.positions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Exactly once through what goes wrong around ingest's transactions, on a real embedded broker and registry:
 * parsing slower than the transaction timeout, a scan that fails half-way, a producer the broker no longer
 * accepts. Every document's chunks reach ingest.chunks once (counted per key by a read_committed reader), no
 * document is ever visible in part, and the next scan works. Each test works in its own sub-folder.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestTransactionTest extends PlatformTestBase {
    private static final int CHUNKS_PER_DOCUMENT = 5;

    @Test
    @Order(1)
    void parsingSlowerThanTheTransactionTimeoutWritesEveryDocumentOnceAndLaterScansStillWork() {
        // Given four documents, each taking longer to read and parse than the producer's transaction timeout
        // (2 s here; a folder of large PDFs can take longer than the default 60 s)
        List<String> ids = writeDocuments("slow", 4);
        Set<String> seen = positions(h.chunkRecords());
        long offsetsBefore = h.chunkOffsets();
        FaultyFiles files = new FaultyFiles();
        files.beforeRead = file -> {
            if (!file.toString().endsWith(".md")) {
                return; // the ignore rules file
            }
            pause(2_500);
            if (file.endsWith(ids.get(2)) || file.endsWith(ids.get(3))) {
                // Once the first documents are on the topic, a transaction held across this read has begun; the
                // broker looks for timed-out transactions only every 10 s: once nothing is left open, such a
                // transaction has been aborted, as it would be during a real parse this slow.
                waitUntil(() -> h.chunkOffsets() > offsetsBefore);
                h.awaitNoOpenTransaction();
            }
        };

        try (IngestService ingest = h.service(Map.of("ingest.transaction-timeout-ms", "2000"), files)) {
            // When the inbox is scanned
            ScanReport report = ingest.scanOnce();

            // Then every document is ingested, each of its chunks written exactly once
            assertThat(report.ingested()).isEqualTo(4);
            assertThat(writesPerKey(appended(seen, h.chunkRecords()))).isEqualTo(oncePerChunk(ids));

            // When a new document arrives, read at the usual speed
            files.beforeRead = file -> { };
            String later = writeDocuments("slow/later", 1).get(0);
            ScanReport next = ingest.scanOnce();

            // Then the later scan works as usual
            assertThat(next.ingested()).isEqualTo(1);
            assertThat(next.unchanged()).isEqualTo(4);
            assertThat(h.chunksOf(later)).hasSize(CHUNKS_PER_DOCUMENT);
            assertThat(writesPerKey(appended(seen, h.chunkRecords())))
                    .isEqualTo(oncePerChunk(concat(ids, List.of(later))));
        }
    }

    @Test
    @Order(2)
    void aScanThatFailsHalfWayShowsNoDocumentInPartAndTheNextScanWritesEachDocumentOnce() {
        // Given five documents, and a parser thread that dies (an Error, not an exception) on the third
        List<String> ids = writeDocuments("crash", 5);
        Set<String> seenChunks = positions(h.chunkRecords());
        Set<String> seenDocuments = positions(h.documentRecords());
        FaultyFiles files = new FaultyFiles();
        files.beforeRead = file -> {
            if (file.endsWith(ids.get(2))) {
                throw new StackOverflowError("injected: the parser thread dies on " + file);
            }
        };

        try (IngestService ingest = h.service(Map.of(), files)) {
            // When the inbox is scanned, the scan fails
            assertThatThrownBy(ingest::scanOnce).hasRootCauseInstanceOf(StackOverflowError.class);

            // Then nothing is left open, and a document it wrote is there whole: its record and all its chunks, once
            List<DocumentRecord> recorded = appended(seenDocuments, h.documentRecords()).stream()
                    .map(ConsumerRecord::value).toList();
            List<String> written = recorded.stream().map(DocumentRecord::getDocumentId).toList();
            assertThat(ids).containsAll(written);
            assertThat(writesPerKey(appended(seenChunks, h.chunkRecords()))).isEqualTo(oncePerChunk(written));

            // When the parser is fine again and the inbox is scanned again
            files.beforeRead = file -> { };
            ScanReport clean = ingest.scanOnce();

            // Then every document is there, each chunk written once over both scans
            assertThat(clean.ingested() + written.size()).isEqualTo(ids.size());
            assertThat(writesPerKey(appended(seenChunks, h.chunkRecords()))).isEqualTo(oncePerChunk(ids));
            Map<String, DocumentRecord> documents = h.documents();
            ids.forEach(id -> assertThat(documents.get(id).getChunkChecksums()).as(id).hasSize(CHUNKS_PER_DOCUMENT));
        }
    }

    @Test
    @Order(3)
    void aProducerTheBrokerNoLongerAcceptsIsReplacedAndTheReadyDocumentsAreWrittenOnce() {
        try (IngestService ingest = h.service()) {
            ingest.open();
            // Given two new documents, and ingest's producer fenced, as the broker fences a producer whose
            // transaction it aborted
            List<String> ids = writeDocuments("fenced", 2);
            Set<String> seen = positions(h.chunkRecords());
            h.fenceIngestProducer();

            // When the inbox is scanned
            ScanReport report = ingest.scanOnce();

            // Then ingest writes with a new producer: both documents, each chunk once
            assertThat(report.ingested()).isEqualTo(2);
            assertThat(writesPerKey(appended(seen, h.chunkRecords()))).isEqualTo(oncePerChunk(ids));

            // And a later scan finds them recorded
            ScanReport next = ingest.scanOnce();
            assertThat(next.ingested()).isZero();
            assertThat(next.unchanged()).isGreaterThanOrEqualTo(2);
        }
    }

    /** {@code n} feature documents under {@code folder}, five chunks each; their ids in inbox order. */
    private static List<String> writeDocuments(String folder, int n) {
        return IntStream.range(0, n).mapToObj(i -> {
            String id = folder + "/doc" + i + ".md";
            h.write(id, FeatureDoc.of("Feature " + folder + " " + i, "EUtranCellFDD", "param" + folder.replace('/', 'X') + i)
                    .markdown());
            return id;
        }).toList();
    }

    /** How many times each chunk id was written (a tombstone counts as a write too). */
    private static Map<String, Long> writesPerKey(List<ConsumerRecord<String, Chunk>> records) {
        return records.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
    }

    /** Every chunk id of the documents, written once. */
    private static Map<String, Long> oncePerChunk(List<String> documentIds) {
        return documentIds.stream()
                .flatMap(id -> IntStream.range(0, CHUNKS_PER_DOCUMENT).mapToObj(ord -> DocumentPublisher.chunkId(id, ord)))
                .collect(Collectors.toMap(Function.identity(), id -> 1L));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static void waitUntil(BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("waited 15 s in vain");
            }
            pause(20);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
