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
 *       no text at all (scanned images): an error saying so.</li>
 * </ul>
 */
final class PdfParser {

  private static final Pattern PAGE_NUMBER = Pattern.compile("(?i)^(page\\s*)?\\d{1,4}(\\s*(of|/)\\s*\\d{1,4})?$");
  private static final Pattern TOC_LINE = Pattern.compile("\\.{4,}\\s*\\d+$");
  private static final Pattern DIGITS = Pattern.compile("\\d+");

  private PdfParser() {}

  record Line(int page, String text, float size, boolean bold, boolean paragraphStart) {}

  static ParsedDocument parse(String documentId, byte[] content) throws UnreadableDocumentException {
    List<Line> lines;
    String metadataTitle;
    int pages;
    try (PDDocument doc = Loader.loadPDF(content)) {
      pages = doc.getNumberOfPages();
      if (pages == 0) {
        throw new UnreadableDocumentException("PDF is corrupt or unreadable: it has no pages");
      }
      metadataTitle = doc.getDocumentInformation() == null ? null : doc.getDocumentInformation().getTitle();
      Collector collector = new Collector();
      collector.getText(doc);
      lines = collector.lines;
    } catch (InvalidPasswordException e) {
      throw new UnreadableDocumentException("PDF is encrypted", e);
    } catch (IOException | RuntimeException e) {
      throw new UnreadableDocumentException("PDF is corrupt or unreadable: " + e.getMessage(), e);
    }
    lines = dropRunningLines(lines, pages);
    if (lines.isEmpty()) {
      throw new UnreadableDocumentException("PDF has no extractable text (scanned images?)");
    }
    return build(documentId, lines, metadataTitle);
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
    List<String> paragraph = new ArrayList<>();
    int paragraphPage = -1;
    Line previousHeading = null;
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      String text = l.text();
      if (!out.hasHeading() && out.isEmpty() && paragraph.isEmpty() && header.accept(text)) {
        continue;
      }
      boolean alone = l.paragraphStart() && (i + 1 == lines.size() || lines.get(i + 1).paragraphStart()
          || lines.get(i + 1).page() != l.page());
      String clause = PlainTextParser.clauseHeading(text);
      boolean larger = l.size() >= headingThreshold;
      boolean heading = looksLikeHeading(text) && (larger || (l.bold() && (clause != null || alone)));
      if (heading) {
        PlainTextParser.flush(paragraph, paragraphPage, true, out);
        if (previousHeading != null && clause == null && previousHeading.page() == l.page()
            && round(previousHeading.size()) == round(l.size()) && i > 0 && lines.get(i - 1) == previousHeading
            && !l.paragraphStart()) {
          // a heading wrapped over two lines: replace the first part
          out.extendLastHeading(text);
        } else {
          int level;
          if (clause != null) {
            level = depth(clause);
          } else if (larger) {
            level = sizeRank.indexOf(round(l.size())) + 1;
          } else {
            level = sizeRank.size() + 1; // bold body-size headings sit below the larger ones
          }
          out.heading(Math.max(1, level), clause != null ? clause : text);
        }
        previousHeading = l;
        continue;
      }
      previousHeading = null;
      if (l.paragraphStart() || l.page() != paragraphPage) {
        PlainTextParser.flush(paragraph, paragraphPage, true, out);
        paragraphPage = l.page();
      }
      paragraph.add(text);
    }
    PlainTextParser.flush(paragraph, paragraphPage, true, out);
    String title = metadataTitle != null && !metadataTitle.isBlank() ? metadataTitle : null;
    return new ParsedDocument(documentId, "pdf", header.info(documentId, out.firstHeading(), title), out.build());
  }

  private static boolean looksLikeHeading(String text) {
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

  private static int depth(String clause) {
    if (clause.startsWith("Annex ")) {
      return 1;
    }
    String number = clause.substring(0, clause.indexOf(' '));
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

  /** Collects lines with page, average font size and boldness from PDFBox's text layout. */
  private static final class Collector extends PDFTextStripper {
    final List<Line> lines = new ArrayList<>();
    private final StringBuilder current = new StringBuilder();
    private double sizeSum;
    private int chars;
    private int boldChars;
    private boolean paragraphStart = true;

    Collector() throws IOException {
      setSortByPosition(true);
      setLineSeparator("\n");
      setParagraphStart("");
      setParagraphEnd("");
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
      paragraphStart = true;
    }

    @Override
    protected void writeParagraphEnd() {
      endLine();
      paragraphStart = true;
    }

    @Override
    protected void startPage(PDPage page) throws IOException {
      endLine();
      paragraphStart = true;
      super.startPage(page);
    }

    @Override
    protected void endPage(PDPage page) throws IOException {
      endLine();
      super.endPage(page);
    }

    private void endLine() {
      String text = current.toString().replaceAll("\\s+", " ").strip();
      if (!text.isEmpty()) {
        lines.add(new Line(getCurrentPageNo(), text, chars == 0 ? 0 : (float) (sizeSum / chars),
            chars > 0 && boldChars * 2 > chars, paragraphStart));
        paragraphStart = false;
      }
      current.setLength(0);
      sizeSum = 0;
      chars = 0;
      boldChars = 0;
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
