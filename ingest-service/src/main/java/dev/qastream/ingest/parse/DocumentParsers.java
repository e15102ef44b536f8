package dev.qastream.ingest.parse;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Entry point: detects a document's format from its content and its file extension and parses it.
 *
 * <p>Detection, in order:
 * <ol>
 *   <li>no bytes: "file is empty";</li>
 *   <li>{@code %PDF-} in the first 1 KiB: PDF, whatever the extension; a {@code .pdf} without it is corrupt;</li>
 *   <li>otherwise the bytes must be text: a UTF-16 byte order mark, or UTF-8 (BOM optional) with no NUL
 *       byte and at most 1% control bytes ("binary content in a .md file", "invalid UTF-8 at byte N");
 *       white space only is "file is empty";</li>
 *   <li>content that starts like HTML ({@code <!DOCTYPE html}, {@code <html}) is HTML, whatever the extension;</li>
 *   <li>by extension: {@code .md .markdown .mdown .mkd} markdown, {@code .html .htm .xhtml} HTML,
 *       {@code .csv .tsv} CSV;</li>
 *   <li>{@code .txt}/{@code .text} and extension-less files: markdown if they have at least two ATX
 *       headings ({@code ## Title}), else plain text with 3GPP clause headings (both read
 *       {@code DOCTITLE:} header lines);</li>
 *   <li>any other extension (config files, logs, ...): plain text split into paragraphs.</li>
 * </ol>
 * A document in which the parser finds no text (only headings, an HTML page of scripts) is refused:
 * "no text to ingest".
 */
public final class DocumentParsers {

    private static final Set<String> MARKDOWN = Set.of("md", "markdown", "mdown", "mkd", "mkdn");
    private static final Set<String> HTML = Set.of("html", "htm", "xhtml");
    private static final Set<String> CSV = Set.of("csv", "tsv");
    private static final Set<String> TEXT = Set.of("txt", "text", "");
    private static final Pattern ATX_HEADING = Pattern.compile("(?m)^#{1,6}[ \\t]+\\S");
    private static final byte[] PDF_MAGIC = "%PDF-".getBytes(StandardCharsets.US_ASCII);

    private DocumentParsers() {}

    public static ParsedDocument parse(String documentId, byte[] content) throws UnreadableDocumentException {
        try {
            ParsedDocument parsed = parseByKind(documentId, content);
            if (parsed.sections().isEmpty()) {
                // Nothing a question could be asked about: ingesting it would only record a document without chunks.
                throw new UnreadableDocumentException("no text to ingest (only headings, markup or scripts)");
            }
            return parsed;
        } catch (StackOverflowError e) {
            // Parsers recurse over the document's structure: a pathological nesting (lists inside lists ten
            // thousand deep) is a bad input, reported like any other, not an error that fails every scan.
            throw new UnreadableDocumentException("structure nested too deeply to parse (stack overflow)");
        }
    }

    private static ParsedDocument parseByKind(String documentId, byte[] content) throws UnreadableDocumentException {
        if (content == null || content.length == 0) {
            throw new UnreadableDocumentException("file is empty");
        }
        String ext = extension(documentId);
        if (startsWithPdfMagic(content)) {
            return PdfParser.parse(documentId, content);
        }
        if (ext.equals("pdf")) {
            if (isBlank(content)) {
                throw new UnreadableDocumentException("file is empty");
            }
            throw new UnreadableDocumentException("PDF is corrupt or unreadable: no %PDF header");
        }
        String text = TextDecoding.decode(content, ext);
        if (looksLikeHtml(text)) {
            return HtmlParser.parse(documentId, text);
        }
        if (MARKDOWN.contains(ext)) {
            return MarkdownParser.parse(documentId, text);
        }
        if (HTML.contains(ext)) {
            return HtmlParser.parse(documentId, text);
        }
        if (CSV.contains(ext)) {
            return CsvParser.parse(documentId, text, ext.equals("tsv") ? '\t' : null);
        }
        if (TEXT.contains(ext)) {
            if (looksLikeMarkdown(text)) {
                return MarkdownParser.parse(documentId, text);
            }
            return PlainTextParser.parse(documentId, text, true);
        }
        return PlainTextParser.parse(documentId, text, false);
    }

    /** Lower-case extension of the file name, "" when there is none. */
    static String extension(String documentId) {
        String name = documentId.substring(Math.max(documentId.lastIndexOf('/'), documentId.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        // A trailing space ("guide.md ") is a slip of the keyboard, not another extension.
        return dot <= 0 || dot == name.length() - 1 ? "" : name.substring(dot + 1).strip().toLowerCase(Locale.ROOT);
    }

    private static boolean startsWithPdfMagic(byte[] b) {
        int limit = Math.min(b.length - PDF_MAGIC.length, 1024);
        outer:
        for (int i = 0; i <= limit; i++) {
            for (int k = 0; k < PDF_MAGIC.length; k++) {
                if (b[i + k] != PDF_MAGIC[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\n' && x != '\r' && x != '\t' && x != '\f') {
                return false;
            }
        }
        return true;
    }

    private static boolean looksLikeHtml(String text) {
        int i = 0;
        int n = text.length();
        while (i < n && (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == '\uFEFF')) {
            i++;
        }
        String head = text.substring(i, Math.min(n, i + 200)).toLowerCase(Locale.ROOT);
        if (head.startsWith("<?xml")) {
            return text.substring(i, Math.min(n, i + 1024)).toLowerCase(Locale.ROOT).contains("<html");
        }
        return head.startsWith("<!doctype html") || head.startsWith("<html");
    }

    private static boolean looksLikeMarkdown(String text) {
        var m = ATX_HEADING.matcher(text);
        return m.find() && m.find();
    }
}
