package dev.qastream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentRecord;
import dev.qastream.schemas.DocumentStatus;
import dev.qastream.schemas.IngestError;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        h.write("junk.md", BadFiles.junk());
        h.write("latin1.md", BadFiles.invalidUtf8());
        h.write("broken.pdf", ("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                + "this is not a pdf at all, the rest of the download is missing\n").getBytes(StandardCharsets.US_ASCII));
        h.write("locked.pdf", BadFiles.encryptedPdf());
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

    /**
     * Many kinds of bad input dropped at once into one folder, next to good documents, scanned by one service
     * that is never restarted. What ingest does with each kind, and why:
     * <pre>
     * kind                                      outcome
     * ----------------------------------------  ---------------------------------------------------------------
     * empty file, whitespace only, BOM only     error "file is empty"
     * zero-byte .pdf                            error "file is empty"
     * binary in a .md, .docx (a ZIP bomb: never error "binary content in a .docx file" (ZIPs are not unpacked)
     *   unpacked), .gz, .png
     * NUL byte in an otherwise text .md         error "binary content ... (NUL byte at offset N)"
     * invalid UTF-8; UTF-16 BOM + lone surrogate error "invalid UTF-8 / UTF-16 at byte N"
     * UTF-16 with a BOM                         INGESTED: it is valid text
     * corrupt PDF, HTML saved as .pdf           error "PDF is corrupt or unreadable: ..."
     * truncated PDF (first half of one)         error "PDF is corrupt or unreadable: it is truncated (no %%EOF ...)"
     * encrypted PDF                             error "PDF is encrypted"
     * PDF without pages                         error "PDF has no pages"
     * PDF with only a picture (a scan)          error "PDF has no extractable text (scanned images?)"
     * PDF bytes in a .md (the extension lies)   INGESTED as the PDF it is (content decides)
     * HTML with only a script; empty HTML body  error "no text to ingest"
     * markdown with only headings               error "no text to ingest"
     * ragged CSV; unclosed quote                error "CSV row N has ..."; "... a quoted field ... is never closed"
     * CSV with a header only                    error "CSV has a header but no rows"
     * CSV bomb (1,000,000 columns)              error "CSV has 1000000 columns, more than ..." (counted before
     *                                           parsing, so it cannot run out of memory)
     * CSV with a 10 MB cell                     error "... too large for one chunk" (a table row is never
     *                                           split, and a 10 MB record could not be written to Kafka)
     * markdown list nested 10,000 levels; block error "nested too deeply"
     *   quotes 10,000 deep; HTML 100,000 divs
     * 1 GB (sparse) file                        error "file is 1024.0 MB, larger than the 50 MB limit" (never read)
     * one 1 MB line of prose in a .md           INGESTED, cut into chunks of the usual size
     * control characters (ANSI colours) in .md  INGESTED, without the control characters
     * CR-only and mixed line endings            INGESTED with the same sections as with LF
     * billion-laughs DTD in an HTML page        INGESTED: the entities are never expanded
     * YAML alias bomb; YAML that is a list      INGESTED as plain text (YAML is not parsed, so never expanded)
     * a file that keeps growing                 pending while it grows (never read half-written, never an
     *                                           error), INGESTED whole once it has settled
     * a FIFO (named pipe)                       error "not a regular file: a named pipe (FIFO)": never opened, which
     *                                           would block the scan
     * a symbolic link to itself (a loop)        error "symbolic link loop"
     * a symbolic link out of the inbox          error "symbolic link points outside the inbox": never followed
     * a name that is not valid UTF-8            error "file name is not valid UTF-8": its document id could not
     *                                           name the file exactly
     * names with a newline, quotes, "a..b",     INGESTED under their exact names (Kafka keys, Avro and the
     *   255 bytes, a trailing space               JSON error log carry any text)
     * no read permission                        error "file cannot be read (permission denied)". Tests run as
     *                                           root, which file modes do not stop: the file is chmod 000 and,
     *                                           when it is still readable, the denial is injected at the read
     *                                           seam (FaultyFiles), as the JDK would throw it
     * deleted between listing and reading       nothing: not an error, no record (it was never ingested)
     * a folder named like a file (x.md/)        nothing: a folder, walked, empty
     * hidden (.x.md), .crdownload, x~, .part    skipped by the ignore rules (ingest.ignore): not errors
     * </pre>
     */
    @Test
    @Order(3)
    void manyKindsOfBadInputAmongGoodDocumentsAreEachOneErrorAndEveryGoodDocumentIsIngested() throws Exception {
        Map<String, String> bad = new LinkedHashMap<>(); // file -> a word its reason must contain
        List<String> good = new ArrayList<>();
        List<String> quiet = new ArrayList<>();          // neither ingested nor an error
        FaultyFiles files = new FaultyFiles();

        // Given good documents ...
        for (int i = 1; i <= 4; i++) {
            good.add(mixed("feature-" + i + ".md", FeatureDoc.of("Mixed Feature " + i, "EUtranCellFDD", "mixed" + i).markdown()));
        }
        String doc = FeatureDoc.of("Odd But Good", "NRCellDU", "oddParam").markdown();
        good.add(mixed("utf16.md", BadFiles.utf16WithBom(doc)));
        good.add(mixed("pdf-bytes.md", BadFiles.pdf("PDF Feature: NRCellDU.pdfParam decides the PDF behaviour.")));
        good.add(mixed("cr-only.md", doc.replace('\n', '\r')));
        good.add(mixed("mixed-endings.md", doc.replaceFirst("\n", "\r\n").replace("\n\n", "\r\r")));
        good.add(mixed("ansi.md", doc.replace("Description\n", "Description\n\u001b[1mBold\u001b[0m \u0007")));
        good.add(mixed("one-line.md", BadFiles.oneLongLine(1 << 20)));
        good.add(mixed("entities.html", BadFiles.entityBomb()));
        good.add(mixed("aliases.yaml", BadFiles.yamlAliasBomb()));
        good.add(mixed("list.yaml", "- first item of a list\n- second item of a list\n"));
        good.add(mixed("new\nline.md", doc));
        good.add(mixed("say \"hi\" it's.md", doc));
        good.add(mixed("a..b.md", doc));
        good.add(mixed("n".repeat(252) + ".md", doc));
        good.add(mixed("trailing.md ", doc));
        good.add(mixed("growing.md", doc));
        Path growing = h.inbox.resolve(M + "growing.md");

        // ... and bad ones
        bad.put(mixed("empty.md", new byte[0]), "empty");
        bad.put(mixed("whitespace.md", " \n\t\n"), "empty");
        bad.put(mixed("bom-only.md", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}), "empty");
        bad.put(mixed("zero.pdf", new byte[0]), "empty");
        bad.put(mixed("junk.md", BadFiles.junk()), "binary");
        bad.put(mixed("report.docx", BadFiles.zipBomb()), "binary");
        bad.put(mixed("notes.md.gz", BadFiles.gzip(doc)), "binary");
        bad.put(mixed("picture.png", BadFiles.png()), "binary");
        bad.put(mixed("nul.md", doc.replace("Description", "Descr\u0000iption")), "NUL");
        bad.put(mixed("latin1.md", BadFiles.invalidUtf8()), "invalid UTF-8");
        bad.put(mixed("broken-utf16.md", BadFiles.brokenUtf16()), "invalid UTF-16");
        bad.put(mixed("corrupt.pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ngarbage\n"), "corrupt");
        bad.put(mixed("error-page.pdf", "<html><body>404 Not Found</body></html>"), "no %PDF header");
        bad.put(mixed("truncated.pdf", BadFiles.truncatedPdf()), "truncated");
        bad.put(mixed("encrypted.pdf", BadFiles.encryptedPdf()), "encrypted");
        bad.put(mixed("no-pages.pdf", BadFiles.noPagesPdf()), "no pages");
        bad.put(mixed("scan.pdf", BadFiles.imagesOnlyPdf()), "no extractable text");
        bad.put(mixed("script-only.html", "<html><head><title>T</title></head><body><script>alert(1)</script></body></html>"),
                "no text");
        bad.put(mixed("empty-body.html", "<!DOCTYPE html><html><body>  </body></html>"), "no text");
        bad.put(mixed("headings-only.md", "# One\n\n## Two\n\n### Three\n"), "no text");
        bad.put(mixed("ragged.csv", "a,b,c\n1,2,3\n4,5\n"), "row 3");
        bad.put(mixed("unclosed-quote.csv", "a,b\n1,\"never closed\n"), "never closed");
        bad.put(mixed("header-only.csv", "Parameter,MO Class,Default\n"), "no rows");
        bad.put(mixed("column-bomb.csv", BadFiles.csvBomb(1_000_000)), "columns");
        bad.put(mixed("huge-cell.csv", BadFiles.csvWithHugeCell(10 << 20)), "too large");
        bad.put(mixed("nested-list.md", BadFiles.nestedList(10_000)), "nested");
        bad.put(mixed("nested-quotes.md", BadFiles.nestedQuotes(10_000)), "nested");
        bad.put(mixed("nested-divs.html", BadFiles.nestedDivs(100_000)), "nested");
        Path sparse = h.inbox.resolve(mixed("sparse.md", new byte[0]));
        try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(1L << 30); // 1 GB that takes no disk
        }
        bad.put(M + "sparse.md", "larger than");
        Path fifo = h.inbox.resolve(M + "pipe.md");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        bad.put(M + "pipe.md", "named pipe");
        Path loop = h.inbox.resolve(M + "loop.md");
        Files.createSymbolicLink(loop, loop.getFileName());
        bad.put(M + "loop.md", "loop");
        Path secret = Files.writeString(h.outside.resolve("secret.md"), doc);
        Files.createSymbolicLink(h.inbox.resolve(M + "escape.md"), secret);
        bad.put(M + "escape.md", "outside the inbox");
        bad.put(M + nonUtf8Name(h.inbox.resolve(mixed("will-be-renamed.md", doc))), "not valid UTF-8");
        Path locked = h.inbox.resolve(mixed("no-permission.md", doc));
        Files.setPosixFilePermissions(locked, Set.of());
        if (Files.isReadable(locked)) {
            files.unreadable.add(locked); // root: file modes deny nothing, so the denial is injected
        }
        bad.put(M + "no-permission.md", "permission denied");

        // ... and files that are neither: deleted between listing and reading, a folder named like a file, ignored
        quiet.add(mixed("vanishing.md", doc));
        files.beforeRead = file -> {
            if (file.getFileName().toString().equals("vanishing.md")) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        Files.createDirectories(h.inbox.resolve(M + "folder.md"));
        quiet.add(M + "folder.md");
        for (String ignored : List.of(".hidden.md", "download.md.crdownload", "notes.md~", "upload.md.part")) {
            quiet.add(mixed(ignored, doc));
        }
        assertThat(bad).hasSizeGreaterThanOrEqualTo(30);

        try (IngestService ingest = h.service(Map.of("ingest.settle-ms", "300"), files)) {
            // When the inbox is scanned while one file keeps growing, until everything has settled
            Thread grower = Thread.ofVirtual().start(() -> grow(growing, 1_500));
            ScanReport total = ScanReport.empty();
            while (grower.isAlive()) {
                ScanReport during = ingest.scanOnce();
                total = total.plus(during);
                // Then the growing file is pending, never read half-written, never an error
                assertThat(during.pending()).isPositive();
                assertThat(files.reads(growing)).isZero();
                Thread.sleep(100);
            }
            total = total.plus(ingest.scanUntilSettled());

            // Then every good document is ingested, every bad file is one error with its reason, the rest nothing
            List<String> problems = outcomes(good, bad, quiet);
            assertThat(problems).as("files whose outcome is not the expected one").isEmpty();
            assertThat(total.errors()).isEqualTo(bad.size());
            assertThat(files.reads(growing)).isEqualTo(1);
            assertThat(h.documents().get(M + "growing.md").getChecksum())
                    .isEqualTo(IngestService.sha256(Files.readAllBytes(growing)));
            assertThat(h.chunksOf(M + "one-line.md")).hasSizeGreaterThan(100);
            assertThat(h.chunksOf(M + "ansi.md").values()).extracting(Chunk::getText)
                    .noneMatch(t -> t.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t'));
            assertThat(h.chunksOf(M + "entities.html").values()).extracting(Chunk::getText)
                    .allMatch(t -> t.length() < 2_000);

            // When it is scanned again, and a new good document arrives
            assertThat(ingest.scanOnce().errors()).as("bad files reported again").isZero();
            good.add(mixed("later.md", FeatureDoc.of("Later Feature", "NRCellCU", "laterParam").markdown()));
            ScanReport later = ingest.scanUntilSettled();

            // Then the same service, never restarted, ingests it
            assertThat(later.ingested()).isEqualTo(1);
            assertThat(later.errors()).isZero();
            assertThat(h.chunksOf(M + "later.md")).hasSize(5);
        }
    }

    private static final String M = "mixed/";

    /** Writes a file into the mixed folder; returns its document id. */
    private static String mixed(String name, String content) {
        return mixed(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static String mixed(String name, byte[] content) {
        h.write(M + name, content);
        return M + name;
    }

    /** Renames the file to a name with a 0xFF byte (not UTF-8; Java cannot spell it); returns the name as Java reads it. */
    private static String nonUtf8Name(Path file) throws Exception {
        Process mv = new ProcessBuilder("sh", "-c", "mv \"$1\" \"$(printf 'bad\\377name.md')\"", "sh",
                file.getFileName().toString()).directory(file.getParent().toFile()).start();
        assumeTrue(mv.waitFor() == 0, "a file name with a byte that is not UTF-8");
        try (var names = Files.list(file.getParent())) {
            return names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("bad") && n.endsWith("name.md"))
                    .findFirst().orElseThrow();
        }
    }

    /** Appends a line every 50 ms for {@code ms}: a file still being written. */
    private static void grow(Path file, long ms) {
        long end = System.currentTimeMillis() + ms;
        try {
            for (int i = 0; System.currentTimeMillis() < end; i++) {
                Files.writeString(file, "\nGrowing line " + i + " of the guidelines.\n", StandardOpenOption.APPEND);
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What went otherwise than expected, one line per file (empty when all is as expected). */
    private static List<String> outcomes(List<String> good, Map<String, String> bad, List<String> quiet) {
        Map<String, DocumentRecord> documents = h.documents();
        Map<String, Chunk> chunks = h.chunks();
        List<IngestError> errors = h.errors().stream().filter(e -> e.getPath().startsWith(M)).toList();
        List<JsonNode> logged = h.errorLogLines().stream().filter(l -> l.get("path").asText().startsWith(M)).toList();
        List<String> problems = new ArrayList<>();
        for (String id : good) {
            DocumentRecord record = documents.get(id);
            long n = chunks.values().stream().filter(c -> c.getDocumentId().equals(id)).count();
            if (record == null || record.getStatus() != DocumentStatus.INGESTED || n == 0) {
                problems.add(id + ": expected ingested, got " + (record == null ? "no record" : record.getStatus())
                        + ", " + n + " chunks, errors " + reasons(errors, id));
            }
        }
        bad.forEach((id, word) -> {
            List<String> reasons = reasons(errors, id);
            List<String> lines = logged.stream().filter(l -> l.get("path").asText().equals(id))
                    .map(l -> l.get("reason").asText()).toList();
            if (reasons.size() != 1 || !reasons.get(0).contains(word) || reasons.get(0).contains("Exception")
                    || reasons.get(0).contains("java.") || !lines.equals(reasons)) {
                problems.add(id + ": expected one error with '" + word + "', got " + reasons + ", logged " + lines);
            }
        });
        for (String id : quiet) {
            if (documents.containsKey(id) || !reasons(errors, id).isEmpty()) {
                problems.add(id + ": expected nothing, got " + documents.get(id) + ", errors " + reasons(errors, id));
            }
        }
        errors.stream().map(IngestError::getPath).filter(p -> !bad.containsKey(p)).distinct()
                .forEach(p -> problems.add(p + ": unexpected error " + reasons(errors, p)));
        return problems;
    }

    private static List<String> reasons(List<IngestError> errors, String id) {
        return errors.stream().filter(e -> e.getPath().equals(id)).map(IngestError::getReason).toList();
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
}
