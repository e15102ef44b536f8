package dev.qastream.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qastream.ingest.chunk.Chunker;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.Parameter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

/** PDFs are generated here with PDFBox rather than committed as binaries. */
class PdfParserTest {

    private static final PDType1Font REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private static final PDType1Font BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);

    /** A line to draw: font, size, text, and the gap before it in points (a paragraph break if large). */
    private record L(PDType1Font font, float size, String text, float gapBefore) {}

    private static L title(String t) {
        return new L(BOLD, 20, t, 30);
    }

    private static L h1(String t) {
        return new L(BOLD, 15, t, 26);
    }

    private static L h2(String t) {
        return new L(BOLD, 12.5f, t, 22);
    }

    private static L body(String t) {
        return new L(REGULAR, 10.5f, t, 13);
    }

    private static L para(String t) {
        return new L(REGULAR, 10.5f, t, 26);
    }

    @SafeVarargs
    private static byte[] pdf(String metadataTitle, boolean footer, List<L>... pages) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (metadataTitle != null) {
                doc.getDocumentInformation().setTitle(metadataTitle);
            }
            int number = 1;
            for (List<L> lines : pages) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    float y = 800;
                    for (L l : lines) {
                        y -= l.gapBefore();
                        write(cs, l.font(), l.size(), 60, y, l.text());
                    }
                    if (footer) {
                        write(cs, REGULAR, 8, 60, 40, "Company Confidential");
                        write(cs, REGULAR, 8, 500, 40, String.valueOf(number));
                    }
                }
                number++;
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    private static void write(PDPageContentStream cs, PDType1Font font, float size, float x, float y, String text)
            throws IOException {
        cs.beginText();
        cs.setFont(font, size);
        cs.newLineAtOffset(x, y);
        cs.showText(text);
        cs.endText();
    }

    private static byte[] featurePdf() throws IOException {
        return pdf(null, true,
                List.of(
                        title("Cell Sleep Mode"),
                        h1("1 Overview"),
                        body("Cell sleep mode lets the eNodeB switch off a capacity cell when traffic is low and"),
                        body("wake it again when the coverage cell becomes loaded."),
                        para("The feature saves energy at night."),
                        h2("1.1 Conditions"),
                        body("A cell may only sleep when a coverage cell on another carrier serves the same area.")),
                List.of(
                        h1("2 Parameters"),
                        body("CellSleepFunction.sleepStartTime: Time of day when the cell may start to sleep"),
                        body("MO Class: CellSleepFunction"),
                        body("Valid Values: 00:00 to 23:59"),
                        body("Default: 01:00"),
                        para("The wake-up threshold is the PRB load of the coverage cell that ends the sleep of")),
                List.of(
                        body("the capacity cell, measured over one minute."),
                        h1("3 Counters"),
                        body("pmCellSleepTime counts the seconds a cell slept.")));
    }

    @Test
    void headingsByFontSizeAndNumberingMakeNestedSections() throws Exception {
        ParsedDocument doc = DocumentParsers.parse("guides/sleep.pdf", featurePdf());
        assertThat(doc.format()).isEqualTo("pdf");
        assertThat(doc.info().getTitle()).isEqualTo("Cell Sleep Mode");
        assertThat(doc.info().getFeatureName()).isEqualTo("Cell Sleep Mode");
        assertThat(doc.sections()).extracting(Section::path).containsExactly(
                List.of("1 Overview"), List.of("1 Overview", "1.1 Conditions"), List.of("2 Parameters"), List.of("3 Counters"));
    }

    @Test
    void paragraphsAreJoinedAndKeepTheirPage() throws Exception {
        ParsedDocument doc = DocumentParsers.parse("guides/sleep.pdf", featurePdf());
        List<Block> overview = doc.sections().get(0).blocks();
        assertThat(overview).extracting(Block::text).containsExactly(
                "Cell sleep mode lets the eNodeB switch off a capacity cell when traffic is low and wake it again when the "
                        + "coverage cell becomes loaded.",
                "The feature saves energy at night.");
        assertThat(overview).allMatch(b -> b.page() == 1);
        // running footers and page numbers are gone
        assertThat(doc.sections()).allSatisfy(s -> assertThat(s.blocks())
                .noneMatch(b -> b.text().contains("Confidential") || b.text().matches("\\d+")));
    }

    @Test
    void parameterEntriesAndPagesReachTheChunks() throws Exception {
        ParsedDocument doc = DocumentParsers.parse("guides/sleep.pdf", featurePdf());
        List<Block> params = doc.sections().get(2).blocks();
        Parameter p = ((Block.ParameterEntry) params.get(0)).parameter();
        assertThat(p.getMoClass()).isEqualTo("CellSleepFunction");
        assertThat(p.getName()).isEqualTo("sleepStartTime");
        assertThat(p.getValidValues()).isEqualTo("00:00 to 23:59");
        assertThat(p.getDefaultValue()).isEqualTo("01:00");
        // a paragraph running over a page break is split there, so each part knows its page
        assertThat(params).extracting(Block::page).containsExactly(2, 2, 3);

        List<Chunk> chunks = new Chunker(512, 0).chunk(doc);
        Chunk parameters = chunks.stream().filter(c -> c.getSectionPath().equals(List.of("2 Parameters"))).findFirst().orElseThrow();
        assertThat(parameters.getPages()).containsExactly(2, 3);
        assertThat(parameters.getParameters()).hasSize(1);
        assertThat(chunks.get(0).getPages()).containsExactly(1);
        assertThat(chunks.get(chunks.size() - 1).getCounters()).containsExactly("pmCellSleepTime");
    }

    @Test
    void metadataTitleAndBoldBodySizeHeadings() throws Exception {
        byte[] bytes = pdf("Sleep Guide", false, List.of(
                new L(BOLD, 10.5f, "Introduction", 30),
                para("Plain text under a bold heading of body size."),
                para("Another paragraph.")));
        ParsedDocument doc = DocumentParsers.parse("x.pdf", bytes);
        assertThat(doc.info().getTitle()).isEqualTo("Sleep Guide");
        assertThat(doc.info().getFeatureName()).isEqualTo("Introduction");
        assertThat(doc.sections()).extracting(Section::path).containsExactly(List.of("Introduction"));
        assertThat(doc.sections().get(0).blocks()).hasSize(2);
    }

    @Test
    void encryptedPdfIsRefused() throws Exception {
        byte[] plain = featurePdf();
        byte[] encrypted;
        try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(plain); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "user-secret", new AccessPermission());
            policy.setEncryptionKeyLength(256);
            doc.protect(policy);
            doc.save(out);
            encrypted = out.toByteArray();
        }
        assertThatThrownBy(() -> DocumentParsers.parse("secret.pdf", encrypted))
                .isInstanceOf(UnreadableDocumentException.class).hasMessage("PDF is encrypted");
    }

    @Test
    void pdfWithOnlyAnOwnerPasswordIsReadable() throws Exception {
        byte[] bytes;
        try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(featurePdf()); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.protect(new StandardProtectionPolicy("owner-secret", "", new AccessPermission()));
            doc.save(out);
            bytes = out.toByteArray();
        }
        assertThat(DocumentParsers.parse("owner.pdf", bytes).sections()).hasSize(4);
    }

    @Test
    void corruptAndTextlessPdfs() throws Exception {
        byte[] good = featurePdf();
        byte[] garbled = Arrays.copyOf(good, good.length);
        for (int i = 20; i < garbled.length; i++) {
            garbled[i] = (byte) ('A' + (i % 26));
        }
        assertThatThrownBy(() -> DocumentParsers.parse("broken.pdf", garbled))
                .isInstanceOf(UnreadableDocumentException.class).hasMessageStartingWith("PDF is corrupt or unreadable: ");

        byte[] blank;
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.addPage(new PDPage());
            doc.save(out);
            blank = out.toByteArray();
        }
        assertThatThrownBy(() -> DocumentParsers.parse("scan.pdf", blank))
                .hasMessage("PDF has no extractable text (scanned images?)");
    }

    @Test
    void listItemsInPdf() throws Exception {
        List<L> lines = new ArrayList<>();
        lines.add(h1("Steps"));
        lines.add(body("- lock the cell"));
        lines.add(body("- change the parameter"));
        lines.add(body("- unlock the cell"));
        ParsedDocument doc = DocumentParsers.parse("steps.pdf", pdf(null, false, lines));
        assertThat(doc.sections().get(0).blocks()).hasSize(3).allMatch(b -> b instanceof Block.ListItem);
    }
}
