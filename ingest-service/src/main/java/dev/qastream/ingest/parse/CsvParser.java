package dev.qastream.ingest.parse;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV (Commons CSV). The first record is the header; every other record becomes one table-row block
 * ({@code Header: value | ...}), or a parameter entry when the header has parameter-like columns
 * (Parameter/Name plus MO Class, Default, Range/Valid Values or Unit). The delimiter is tab for
 * {@code .tsv}, otherwise the most frequent of {@code , ; TAB |} in the first line. A record whose
 * field count differs from the header's is an error that names the row (the header is row 1). The
 * columns are counted in the first line before anything is parsed: a table wider than {@link #MAX_COLUMNS}
 * (a CSV bomb) is refused without building its records.
 * The section path is the file name, so every chunk says which table it comes from.
 */
final class CsvParser {

    private static final char[] CANDIDATES = {',', ';', '\t', '|'};
    /** Far wider than any parameter table; beyond it, a row's text alone would outgrow a chunk. */
    static final int MAX_COLUMNS = 1_000;
    private static final Pattern UNCLOSED_QUOTE = Pattern.compile("\\(startline (\\d+)\\) EOF reached before encapsulated");

    private CsvParser() {}

    static ParsedDocument parse(String documentId, String text, Character delimiter) throws UnreadableDocumentException {
        String body = text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
        int[] counts = delimiterCounts(body);
        char delim = delimiter != null ? delimiter : mostFrequent(counts);
        int columns = counts[new String(CANDIDATES).indexOf(delim)] + 1;
        if (columns > MAX_COLUMNS) {
            throw new UnreadableDocumentException("CSV has " + columns + " columns in its first line, more than the "
                    + MAX_COLUMNS + " a table may have");
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delim).setIgnoreEmptyLines(true).setTrim(true).get();
        List<String> header = null;
        List<List<String>> rows = new ArrayList<>();
        try (CSVParser parser = format.parse(new StringReader(body))) {
            Iterator<CSVRecord> it = parser.iterator();
            while (it.hasNext()) {
                CSVRecord record = it.next();
                List<String> cells = record.toList();
                if (header == null) {
                    header = new ArrayList<>(cells.size());
                    for (int i = 0; i < cells.size(); i++) {
                        header.add(cells.get(i).isBlank() ? "column " + (i + 1) : cells.get(i));
                    }
                    continue;
                }
                if (cells.size() != header.size()) {
                    throw new UnreadableDocumentException("CSV row " + record.getRecordNumber() + " has " + cells.size()
                            + (cells.size() == 1 ? " field" : " fields") + ", header has " + header.size());
                }
                rows.add(cells);
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw new UnreadableDocumentException("CSV is malformed: " + inWords(rootMessage(e)), e);
        }
        if (header == null) {
            throw new UnreadableDocumentException("file is empty");
        }
        if (rows.isEmpty()) {
            throw new UnreadableDocumentException("CSV has a header but no rows");
        }
        String name = DocumentHeader.fileName(documentId);
        SectionBuilder out = new SectionBuilder();
        out.heading(1, name);
        Tables.addRows(header, rows, null, out);
        DocumentHeader none = new DocumentHeader();
        return new ParsedDocument(documentId, "csv", none.info(documentId, null, null), out.build());
    }

    /** The candidate delimiter seen most often in the first line outside quotes; comma on a tie. */
    static char sniff(String text) {
        return mostFrequent(delimiterCounts(text));
    }

    /** How often each candidate delimiter occurs in the first line, outside quotes. */
    private static int[] delimiterCounts(String text) {
        int[] counts = new int[CANDIDATES.length];
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                break;
            } else if (!quoted) {
                for (int k = 0; k < CANDIDATES.length; k++) {
                    if (c == CANDIDATES[k]) {
                        counts[k]++;
                    }
                }
            }
        }
        return counts;
    }

    private static char mostFrequent(int[] counts) {
        int best = 0;
        for (int k = 1; k < CANDIDATES.length; k++) {
            if (counts[k] > counts[best]) {
                best = k;
            }
        }
        return CANDIDATES[best];
    }

    /** Commons CSV's most common complaint, said plainly: "(startline 2) EOF reached before encapsulated token finished". */
    private static String inWords(String message) {
        Matcher unclosed = UNCLOSED_QUOTE.matcher(message);
        return unclosed.find() ? "a quoted field that starts on line " + unclosed.group(1) + " is never closed" : message;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
