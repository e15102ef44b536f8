package dev.qastream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentRecord;
import dev.qastream.schemas.DocumentStatus;
import dev.qastream.schemas.IngestError;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Inputs ingest cannot read, next to a good document, on a real embedded broker and registry: each bad
 * file becomes exactly one error (topic and out/ingest-errors.jsonl) with a reason a person understands,
 * the good document is ingested in the same scan, and neither a second scan nor a restart reports the
 * same unchanged bad file again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputTest extends PlatformTestBase {

    /** Each bad file and a word its reason must contain. */
    private static final Map<String, String> BAD = new LinkedHashMap<>();

    static {
        BAD.put("empty.md", "empty");
        BAD.put("junk.md", "binary");
        BAD.put("latin1.md", "UTF-8");
        BAD.put("broken.pdf", "corrupt");
        BAD.put("locked.pdf", "encrypted");
        BAD.put("huge.md", "MB");
        BAD.put("ragged.csv", "row");
    }

    @Test
    @Order(1)
    void eachBadFileIsOneErrorWithAReasonAndTheGoodDocumentIsStillIngested() throws Exception {
        // Given one good document and seven files that cannot be read
        h.write("good.md", FeatureDoc.of("Uplink Interference Rejection", "EUtranCellFDD", "ulIrcEnabled").markdown());
        h.write("empty.md", new byte[0]);
        h.write("junk.md", junk());
        h.write("latin1.md", invalidUtf8());
        h.write("broken.pdf", ("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                + "this is not a pdf at all, the rest of the download is missing\n").getBytes(StandardCharsets.US_ASCII));
        h.write("locked.pdf", encryptedPdf());
        try (RandomAccessFile huge = new RandomAccessFile(h.inbox.resolve("huge.md").toFile(), "rw")) {
            huge.setLength(100L * 1024 * 1024); // sparse: 100 MB, over the 50 MB default of ingest.max-file-mb
        }
        h.write("ragged.csv", """
                Parameter,MO Class,Default
                EUtranCellFDD.ulIrcEnabled,EUtranCellFDD,false
                EUtranCellFDD.ulIrcMode,EUtranCellFDD
                EUtranCellFDD.ulIrcBranches,EUtranCellFDD,2
                """);

        // When the inbox is scanned
        ScanReport report;
        try (IngestService ingest = h.service()) {
            report = ingest.scanOnce();

            // Then every bad file is one error, and the good document is ingested in the same scan
            assertThat(report.errors()).isEqualTo(BAD.size());
            assertThat(report.ingested()).isEqualTo(1);
            assertThat(h.chunksOf("good.md")).hasSize(5);
            assertOneErrorPerBadFile();
            // (recorded as FAILED with their checksum: that is what keeps them from being reported again)
            assertThat(h.chunks().values()).extracting(Chunk::getDocumentId).doesNotContainAnyElementsOf(BAD.keySet());
            Map<String, DocumentRecord> documents = h.documents();
            BAD.keySet().forEach(id -> assertThat(documents.get(id).getStatus()).as("status of %s", id)
                    .isEqualTo(DocumentStatus.FAILED));

            // When the same service scans again
            ScanReport again = ingest.scanOnce();

            // Then the unchanged bad files are not reported again
            assertThat(again.errors()).isZero();
            assertThat(again.ingested()).isZero();
            assertThat(again.unchanged()).isEqualTo(BAD.size() + 1);
        }

        // When a new service (a restart) scans the same inbox
        ScanReport afterRestart;
        try (IngestService restarted = h.service()) {
            afterRestart = restarted.scanOnce();
        }

        // Then it does not report them either
        assertThat(afterRestart.errors()).isZero();
        assertThat(afterRestart.ingested()).isZero();
        assertThat(afterRestart.chunksSent()).isZero();
        assertOneErrorPerBadFile();
    }

    @Test
    @Order(2)
    void namesWithSpacesAndNonAsciiCharactersAreKeptAsTheDocumentId() {
        // File names are not content: a valid document whose name has spaces or non-ASCII letters is ingested
        // like any other, and its document id is its exact name (no escaping or transliteration; Kafka keys,
        // Avro strings and the JSON error log all carry UTF-8), so it still matches the file a person sees.
        assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")),
                "file names need a UTF-8 locale for the JVM (sun.jnu.encoding)");

        // Given two valid documents with such names, next to the bad files of the first test (if it ran)
        String accented = "Feature Guide \u00e9.md";
        String japanese = "\u65e5\u672c\u8a9e \u6a5f\u80fd.md";
        h.write(accented, FeatureDoc.of("Carrier Aggregation Guide", "EUtranCellFDD", "caEnabled").markdown());
        h.write(japanese, FeatureDoc.of("Multi Band Cell", "NRCellDU", "multiBandEnabled").markdown());

        // When the inbox is scanned
        ScanReport report;
        try (IngestService ingest = h.service()) {
            report = ingest.scanOnce();
        }

        // Then both are ingested under their exact names, and nothing is reported as an error
        assertThat(report.ingested()).isEqualTo(2);
        assertThat(report.errors()).isZero();
        Map<String, Chunk> chunks = h.chunks();
        assertThat(chunks).containsKeys(IntStream.range(0, 5).mapToObj(i -> accented + "#" + i).toArray(String[]::new));
        assertThat(chunks).containsKeys(IntStream.range(0, 5).mapToObj(i -> japanese + "#" + i).toArray(String[]::new));
        assertThat(chunks.get(japanese + "#1").getDocumentId()).isEqualTo(japanese);
        assertThat(chunks.get(japanese + "#1").getText()).contains("NRCellDU.multiBandEnabled");
        Map<String, DocumentRecord> documents = h.documents();
        assertThat(documents.get(accented).getStatus()).isEqualTo(DocumentStatus.INGESTED);
        assertThat(documents.get(japanese).getStatus()).isEqualTo(DocumentStatus.INGESTED);
        assertThat(h.errors()).extracting(IngestError::getPath).doesNotContain(accented, japanese);
    }

    /** Exactly one error record and one log line per bad file, with a readable reason; nothing else. */
    private static void assertOneErrorPerBadFile() {
        List<IngestError> errors = h.errors();
        List<JsonNode> logged = h.errorLogLines();
        assertThat(errors).extracting(IngestError::getPath).containsExactlyInAnyOrderElementsOf(BAD.keySet());
        assertThat(logged).extracting(l -> l.get("path").asText()).containsExactlyInAnyOrderElementsOf(BAD.keySet());
        BAD.forEach((id, word) -> {
            IngestError error = errors.stream().filter(e -> e.getPath().equals(id)).findFirst().orElseThrow();
            assertThat(error.getReason()).as("reason for %s", id)
                    .contains(word)
                    .doesNotContain("Exception")
                    .doesNotContainPattern("\\bjava\\.");
            JsonNode line = logged.stream().filter(l -> l.get("path").asText().equals(id)).findFirst().orElseThrow();
            assertThat(line.get("reason").asText()).as("logged reason for %s", id).isEqualTo(error.getReason());
        });
    }

    /** Random bytes with NULs in them, as a binary file renamed to .md would be. */
    private static byte[] junk() {
        byte[] bytes = new byte[4096];
        new Random(42).nextBytes(bytes);
        for (int i = 0; i < bytes.length; i += 97) {
            bytes[i] = 0;
        }
        return bytes;
    }

    /** A text document with a byte sequence that is not UTF-8 (0xC3 must start a two-byte sequence). */
    private static byte[] invalidUtf8() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("DOCTITLE: Cell Reselection\nProduct: CXC4010001\nFeature State: Active\n\n## Description\nR"
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28});
        out.writeBytes("seau reselection lets an idle UE move to a better cell.\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** A real one-page PDF with text, protected by a user password. */
    private static byte[] encryptedPdf() throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream text = new PDPageContentStream(doc, page)) {
                text.beginText();
                text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                text.newLineAtOffset(72, 700);
                text.showText("Locked Feature: EUtranCellFDD.lockedParam controls the locked behaviour.");
                text.endText();
            }
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "user-secret",
                    new AccessPermission());
            policy.setEncryptionKeyLength(128);
            doc.protect(policy);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }
}
