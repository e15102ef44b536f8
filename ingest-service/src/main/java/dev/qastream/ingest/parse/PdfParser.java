package dev.qastream.ingest.parse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * PDF (PDFBox 3). Text is read line by line with each line's page, font size and boldness.
 * <ul>
 *   <li>Headings: lines noticeably larger than the body text (the most common size), or bold lines
 *       that are numbered clauses ({@code 4.2 Cell Setup}) or stand alone as a paragraph. Numbered
 *       headings nest by their number's depth, others by font size rank.</li>
 *   <li>Running headers and footers (the same short line on at least half of the pages) and bare page
 *       numbers are dropped.</li>
 *   <li>Paragraphs follow PDFBox's paragraph detection and never span pages, so every block knows its
 *       1-based page; wrapped lines are joined.</li>
 *   <li>Encrypted with a password: "PDF is encrypted"; unparseable: "PDF is corrupt or unreadable: ...";
 *       cut off (no {@code %%EOF} in its last 1 KiB): "... it is truncated"; without pages: "PDF has no pages";
 *       no text at all (scanned images): an error saying so.</li>
 * </ul>
 */
final class PdfParser {

    private static final Pattern PAGE_NUMBER = Pattern.compile("(?i)^(page\\s*)?\\d{1,4}(\\s*(of|/)\\s*\\d{1,4})?$");
    private static final Pattern TOC_LINE = Pattern.compile("\\.{4,}\\s*\\d+$");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern NUMBERED = Pattern.compile("((?:[1-9]\\d?|[A-Z])(?:\\.\\d{1,3}){0,7})\\.?\\s+\\S");
    private static final Pattern CAPTION = Pattern.compile("(?i)(figure|fig\\.|table)\\s*\\d");

    private static final String TRUNCATED = "PDF is corrupt or unreadable: it is truncated (no %%EOF marker at its "
            + "end; the download or copy is incomplete)";

    private PdfParser() {}

    /** One text line: page, text, average font size, boldness, baseline y and horizontal extent. */
    record Line(int page, String text, float size, boolean bold, float y, float xStart, float xEnd) {}

    static ParsedDocument parse(String documentId, byte[] content) throws UnreadableDocumentException {
        List<Line> lines;
        String metadataTitle;
        int pages;
        try (PDDocument doc = Loader.loadPDF(content)) {
            if (!endsWithEofMarker(content)) {
                // PDFBox rebuilds what it can of a cut-off file, and would yield part of the text as if it were all.
                throw new UnreadableDocumentException(TRUNCATED);
            }
            pages = doc.getNumberOfPages();
            if (pages == 0) {
                throw new UnreadableDocumentException("PDF has no pages");
            }
            metadataTitle = doc.getDocumentInformation() == null ? null : doc.getDocumentInformation().getTitle();
            Collector collector = new Collector();
            collector.getText(doc);
            lines = collector.lines;
        } catch (InvalidPasswordException e) {
            throw new UnreadableDocumentException("PDF is encrypted", e);
        } catch (IOException | RuntimeException e) {
            // A file cut short is the common cause, and easier to act on than what the parser tripped over.
            throw new UnreadableDocumentException(endsWithEofMarker(content) ? "PDF is corrupt or unreadable: "
                    + e.getMessage() : TRUNCATED, e);
        }
        lines = dropRunningLines(lines, pages);
        if (lines.isEmpty()) {
            throw new UnreadableDocumentException("PDF has no extractable text (scanned images?)");
        }
        return build(documentId, lines, metadataTitle);
    }

    /** Whether "%%EOF" is in the last 1 KiB, where readers look for it (PDF 32000-1, 7.5.5 and Annex H). */
    private static boolean endsWithEofMarker(byte[] content) {
        String tail = new String(content, Math.max(0, content.length - 1024), Math.min(1024, content.length),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        return tail.contains("%%EOF");
    }

    private static ParsedDocument build(String documentId, List<Line> lines, String metadataTitle) {
        float body = bodySize(lines);
        float headingThreshold = body * 1.15f;
        TreeSet<Float> headingSizes = new TreeSet<>((a, b) -> Float.compare(b, a));
        for (Line l : lines) {
            if (l.size() >= headingThreshold && looksLikeHeading(l.text())) {
                headingSizes.add(round(l.size()));
            }
        }
        List<Float> sizeRank = new ArrayList<>(headingSizes);

        DocumentHeader header = new DocumentHeader();
        SectionBuilder out = new SectionBuilder();
        Map<Integer, Float> rightEdge = new HashMap<>();
        for (Line l : lines) {
            rightEdge.merge(l.page(), l.xEnd(), Math::max);
        }
        List<String> paragraph = new ArrayList<>();
        int paragraphPage = -1;
        Line previousHeading = null;
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            String text = l.text();
            Line prev = i == 0 ? null : lines.get(i - 1);
            Line next = i + 1 == lines.size() ? null : lines.get(i + 1);
            boolean breakBefore = paragraphBreak(prev, l, rightEdge);
            if (!out.hasHeading() && out.isEmpty() && paragraph.isEmpty() && header.accept(text)) {
                continue;
            }
            boolean alone = breakBefore && paragraphBreak(l, next, rightEdge);
            String numbered = numberedHeading(text);
            boolean larger = l.size() >= headingThreshold;
            boolean annex = text.startsWith("Annex ");
            boolean heading = looksLikeHeading(text) && (larger || (l.bold() && (PlainTextParser.clauseHeading(text) != null
                    || (alone && startsCapitalised(text) && text.indexOf('_') < 0))));
            if (heading) {
                PlainTextParser.flush(paragraph, paragraphPage, true, out);
                if (previousHeading == prev && prev != null && numbered == null && !breakBefore
                        && round(prev.size()) == round(l.size())) {
                    out.extendLastHeading(text); // a heading wrapped over two lines
                } else {
                    int level;
                    if (annex) {
                        level = 1;
                    } else if (numbered != null) {
                        level = depth(numbered);
                    } else if (larger) {
                        level = sizeRank.indexOf(round(l.size())) + 1;
                    } else {
                        level = sizeRank.size() + 1; // bold body-size headings sit below the larger ones
                    }
                    out.heading(Math.max(1, level), text);
                }
                previousHeading = l;
                continue;
            }
            previousHeading = null;
            if (breakBefore || l.page() != paragraphPage) {
                PlainTextParser.flush(paragraph, paragraphPage, true, out);
                paragraphPage = l.page();
            }
            paragraph.add(text);
        }
        PlainTextParser.flush(paragraph, paragraphPage, true, out);
        String title = metadataTitle != null && !metadataTitle.isBlank() ? metadataTitle : null;
        return new ParsedDocument(documentId, "pdf", header.info(documentId, out.firstHeading(), title), out.build());
    }

    /**
     * Whether a new paragraph starts at {@code l}: a new page, a gap of more than 1.6 line heights,
     * a change of font size, or a previous line that ends a sentence well before the right margin.
     */
    private static boolean paragraphBreak(Line prev, Line l, Map<Integer, Float> rightEdge) {
        if (prev == null || l == null || prev.page() != l.page()) {
            return true;
        }
        float size = Math.max(1f, Math.max(prev.size(), l.size()));
        float gap = l.y() - prev.y();
        if (gap <= 0 || gap > 1.6f * size || Math.abs(prev.size() - l.size()) > 0.1f * size) {
            return true;
        }
        String t = prev.text();
        char last = t.charAt(t.length() - 1);
        boolean sentenceEnd = last == '.' || last == ':' || last == '!' || last == '?';
        return sentenceEnd && prev.xEnd() < rightEdge.get(l.page()) - 8 * size;
    }

    private static boolean startsCapitalised(String text) {
        char c = text.charAt(0);
        return Character.isUpperCase(c) || Character.isDigit(c);
    }

    /** The number of a numbered heading line ("4.2", "A.1"), or null. */
    private static String numberedHeading(String text) {
        java.util.regex.Matcher m = NUMBERED.matcher(text);
        return m.lookingAt() ? m.group(1) : null;
    }

    private static boolean looksLikeHeading(String text) {
        if (CAPTION.matcher(text).lookingAt()) {
            return false;
        }
        int letters = 0;
        for (int i = 0; i < text.length() && letters < 3; i++) {
            if (Character.isLetter(text.charAt(i))) {
                letters++;
            }
        }
        if (letters < 3) {
            return false;
        }
        if (text.length() > 120 || TOC_LINE.matcher(text).find()) {
            return false;
        }
        char last = text.charAt(text.length() - 1);
        if (last == '.' || last == ',' || last == ';') {
            return false;
        }
        boolean letter = false;
        int words = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            letter |= Character.isLetter(c);
            if (c == ' ') {
                words++;
            }
        }
        return letter && words <= 14;
    }

    private static int depth(String number) {
        return number.split("\\.").length;
    }

    /** The most common font size, weighted by characters. */
    private static float bodySize(List<Line> lines) {
        Map<Float, Integer> weight = new HashMap<>();
        for (Line l : lines) {
            weight.merge(round(l.size()), l.text().length(), Integer::sum);
        }
        float best = 0;
        int bestWeight = -1;
        for (Map.Entry<Float, Integer> e : weight.entrySet()) {
            if (e.getValue() > bestWeight) {
                best = e.getKey();
                bestWeight = e.getValue();
            }
        }
        return best;
    }

    private static float round(float size) {
        return Math.round(size * 2) / 2f;
    }

    /** Drops page numbers, and short lines repeated on at least half of the pages (3 or more). */
    private static List<Line> dropRunningLines(List<Line> lines, int pages) {
        Map<String, Set<Integer>> seenOn = new HashMap<>();
        if (pages >= 3) {
            for (Line l : lines) {
                if (l.text().length() <= 100) {
                    seenOn.computeIfAbsent(DIGITS.matcher(l.text()).replaceAll("#"), k -> new HashSet<>()).add(l.page());
                }
            }
        }
        List<Line> kept = new ArrayList<>(lines.size());
        for (Line l : lines) {
            if (PAGE_NUMBER.matcher(l.text()).matches()) {
                continue;
            }
            Set<Integer> on = pages >= 3 && l.text().length() <= 100
                    ? seenOn.get(DIGITS.matcher(l.text()).replaceAll("#")) : null;
            if (on != null && on.size() >= 3 && on.size() * 2 >= pages) {
                continue;
            }
            kept.add(l);
        }
        return kept;
    }

    /** Collects lines with page, font size, boldness and position from PDFBox's text layout. */
    private static final class Collector extends PDFTextStripper {
        final List<Line> lines = new ArrayList<>();
        private final StringBuilder current = new StringBuilder();
        private double sizeSum;
        private int chars;
        private int boldChars;
        private float y;
        private float xStart = Float.MAX_VALUE;
        private float xEnd;

        Collector() throws IOException {
            setSortByPosition(true);
            setLineSeparator("\n");
        }

        @Override
        protected void writeString(String text, List<TextPosition> positions) {
            current.append(text);
            for (TextPosition tp : positions) {
                sizeSum += tp.getFontSizeInPt();
                chars++;
                if (isBold(tp.getFont())) {
                    boldChars++;
                }
                y = Math.max(y, tp.getYDirAdj());
                xStart = Math.min(xStart, tp.getXDirAdj());
                xEnd = Math.max(xEnd, tp.getXDirAdj() + tp.getWidthDirAdj());
            }
        }

        @Override
        protected void writeWordSeparator() {
            current.append(' ');
        }

        @Override
        protected void writeLineSeparator() {
            endLine();
        }

        @Override
        protected void writeParagraphStart() {
            endLine();
        }

        @Override
        protected void writeParagraphEnd() {
            endLine();
        }

        @Override
        protected void startPage(PDPage page) throws IOException {
            endLine();
            super.startPage(page);
        }

        @Override
        protected void endPage(PDPage page) throws IOException {
            endLine();
            super.endPage(page);
        }

        private void endLine() {
            String text = SPACES.matcher(current).replaceAll(" ").strip();
            if (!text.isEmpty()) {
                lines.add(new Line(getCurrentPageNo(), text, chars == 0 ? 0 : (float) (sizeSum / chars),
                        chars > 0 && boldChars * 2 > chars, y, xStart, xEnd));
            }
            current.setLength(0);
            sizeSum = 0;
            chars = 0;
            boldChars = 0;
            y = 0;
            xStart = Float.MAX_VALUE;
            xEnd = 0;
        }

        private static boolean isBold(PDFont font) {
            if (font == null) {
                return false;
            }
            String name = font.getName() == null ? "" : font.getName().toLowerCase(Locale.ROOT);
            if (name.contains("bold") || name.contains("black") || name.contains("heavy") || name.contains("semibold")) {
                return true;
            }
            PDFontDescriptor d = font.getFontDescriptor();
            return d != null && (d.isForceBold() || d.getFontWeight() >= 600);
        }
    }
}
