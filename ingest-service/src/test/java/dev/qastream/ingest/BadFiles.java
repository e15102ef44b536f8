package dev.qastream.ingest;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The content of bad (and odd but good) input files, built here rather than committed as binaries. */
final class BadFiles {
    private BadFiles() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Random bytes with NULs in them, as a binary file renamed to .md would be. */
    static byte[] junk() {
        byte[] bytes = new byte[4096];
        new Random(42).nextBytes(bytes);
        for (int i = 0; i < bytes.length; i += 97) {
            bytes[i] = 0;
        }
        return bytes;
    }

    /** A text document with a byte sequence that is not UTF-8 (0xC3 must start a two-byte sequence). */
    static byte[] invalidUtf8() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("DOCTITLE: Cell Reselection\nProduct: CXC4010001\nFeature State: Active\n\n## Description\nR"));
        out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28});
        out.writeBytes(ascii("seau reselection lets an idle UE move to a better cell.\n"));
        return out.toByteArray();
    }

    /** The text in UTF-16 little endian after its byte order mark. */
    static byte[] utf16WithBom(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFE});
        out.writeBytes(text.getBytes(StandardCharsets.UTF_16LE));
        return out.toByteArray();
    }

    /** A UTF-16 byte order mark followed by a lone high surrogate: not decodable. */
    static byte[] brokenUtf16() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf16WithBom("## Broken\n\nText "));
        out.writeBytes(new byte[] {0x00, (byte) 0xD8, 0x41, 0x00}); // D800 then 'A': a surrogate without its pair
        return out.toByteArray();
    }

    /** A one-page PDF with the given lines of text. */
    static byte[] pdf(String... lines) {
        return pdf(null, lines);
    }

    /** A real one-page PDF with text, protected by a user password. */
    static byte[] encryptedPdf() {
        StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "user-secret",
                new AccessPermission());
        policy.setEncryptionKeyLength(128);
        return pdf(policy, "Locked Feature: EUtranCellFDD.lockedParam controls the locked behaviour.");
    }

    private static byte[] pdf(StandardProtectionPolicy protection, String... lines) {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream text = new PDPageContentStream(doc, page)) {
                text.beginText();
                text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 11);
                text.setLeading(14);
                text.newLineAtOffset(72, 700);
                for (String line : lines) {
                    text.showText(line);
                    text.newLine();
                }
                text.endText();
            }
            if (protection != null) {
                doc.protect(protection);
            }
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A well-formed PDF without a single page. */
    static byte[] noPagesPdf() {
        try (PDDocument doc = new PDDocument()) {
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PDF whose only page is a picture (a scan): no text to extract. */
    static byte[] imagesOnlyPdf() {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            BufferedImage scan = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            scan.setRGB(10, 10, 0xFFFFFF);
            PDImageXObject image = LosslessFactory.createFromImage(doc, scan);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.drawImage(image, 72, 400, 300, 300);
            }
            return save(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first half of a real PDF: a download or copy cut short. */
    static byte[] truncatedPdf() {
        byte[] whole = pdf("Truncated Feature: the rest of this file never arrived.",
                "It describes EUtranCellFDD.truncParam and what it controls.");
        return Arrays.copyOf(whole, whole.length / 2);
    }

    private static byte[] save(PDDocument doc) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.save(out);
        return out.toByteArray();
    }

    /** A .docx-like ZIP whose one entry inflates from a few KB to 100 MB of zeros. */
    static byte[] zipBomb() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 100; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A small PNG picture. */
    static byte[] png() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A header and one row, the row's third cell {@code cellBytes} long. */
    static String csvWithHugeCell(int cellBytes) {
        return "Parameter,MO Class,Description\nEUtranCellFDD.bigParam,EUtranCellFDD," + "x".repeat(cellBytes) + "\n";
    }

    /** A header line of {@code columns} columns. */
    static String csvBomb(int columns) {
        StringBuilder sb = new StringBuilder(columns * 2);
        for (int i = 0; i < columns; i++) {
            sb.append(i == 0 ? "" : ",").append('c');
        }
        return sb.append("\n").append("1,".repeat(columns - 1)).append("1\n").toString();
    }

    /** A markdown list nested {@code depth} levels deep on one line ("- - - - item"). */
    static String nestedList(int depth) {
        return "# Nested\n\n" + "- ".repeat(depth) + "item\n";
    }

    /** Block quotes nested {@code depth} levels deep. */
    static String nestedQuotes(int depth) {
        return "# Quoted\n\n" + "> ".repeat(depth) + "quoted text\n";
    }

    /** HTML with {@code depth} nested div elements around one paragraph. */
    static String nestedDivs(int depth) {
        return "<!DOCTYPE html><html><body>" + "<div>".repeat(depth) + "<p>Deep text.</p>" + "</div>".repeat(depth)
                + "</body></html>";
    }

    /** The billion laughs: a DTD whose entities would expand to 10^9 "lol"s, in an HTML page with a real paragraph. */
    static String entityBomb() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE html [\n<!ENTITY lol \"lol\">\n");
        sb.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for (int i = 2; i <= 9; i++) {
            sb.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        return sb.append("]>\n<html><body><h1>Entity Feature</h1><p>Entity Feature controls EUtranCellFDD.entityParam "
                + "for each cell.</p><p>&lol9;</p></body></html>\n").toString();
    }

    /** A YAML file whose aliases would expand to 10^9 items if a YAML parser resolved them. */
    static String yamlAliasBomb() {
        StringBuilder sb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char previous = 'a';
        for (char c = 'b'; c <= 'i'; c++) {
            sb.append(c).append(": &").append(c).append(" [").append(("*" + previous + ",").repeat(8))
                    .append('*').append(previous).append("]\n");
            previous = c;
        }
        return sb.toString();
    }

    /** One line of prose about {@code bytes} long, with no line break at all. */
    static String oneLongLine(int bytes) {
        String sentence = "The eNodeB measures uplink interference on every resource block and reports it. ";
        return sentence.repeat(bytes / sentence.length()) + "\n";
    }
}
