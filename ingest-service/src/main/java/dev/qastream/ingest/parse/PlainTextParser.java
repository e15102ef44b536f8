package dev.qastream.ingest.parse;

import dev.qastream.ingest.meta.ParameterExtractor;
import dev.qastream.ingest.meta.ParameterExtractor.FieldValue;
import dev.qastream.schemas.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain text. With {@code clauses} on (.txt and extension-less files), numbered clause headings as
 * in 3GPP specifications ({@code 5.3.1.2<TAB>Title}, {@code A.1 Title}, {@code Annex B (normative): Title})
 * make sections nested by their depth; the format is then {@code 3gpp-text}. Otherwise (and for any
 * other text format: config files, logs, ...) the text is split into paragraphs at blank lines.
 * Lines starting with a list marker become list items; {@code Name: description} entries with
 * {@code MO Class:}/{@code Default:} lines become parameter entries.
 */
final class PlainTextParser {

    /** Clause number (1-99, up to 8 levels, or an annex letter), white space, a capitalised title. */
    private static final Pattern CLAUSE = Pattern.compile(
            "^\\s{0,3}((?:[1-9]\\d?|[A-Z])(?:\\.\\d{1,3}){0,7})[ \\t]+(\\p{Lu}[^\\n]{0,118})$");
    private static final Pattern ANNEX = Pattern.compile("^\\s{0,3}(Annex [A-Z])\\b\\s*(\\([a-z]+\\))?\\s*:?\\s*(.{0,120})$");
    private static final Pattern LIST_MARKER = Pattern.compile("^\\s*(?:[-*+\u2022\u2013\u25AA\u25CF\u25E6\u2023\u2219\u00B7\uF0B7\uF0A7\uF076\uF0D8]|\\d{1,3}[.)]|[a-z][.)]|\\([a-z0-9]{1,3}\\))\\s+\\S.*");

    private PlainTextParser() {}

    static ParsedDocument parse(String documentId, String text, boolean clauses) {
        DocumentHeader header = DocumentHeader.read(text);
        String body = header.end == 0 ? text : text.substring(header.end);
        SectionBuilder out = new SectionBuilder();
        List<String> paragraph = new ArrayList<>();
        int clauseCount = 0;
        boolean titlePending = false;
        int pos = 0;
        int n = body.length();
        while (pos <= n) {
            int eol = body.indexOf('\n', pos);
            int end = eol < 0 ? n : eol;
            String line = body.substring(pos, end);
            pos = end + 1;
            if (!line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
                line = line.substring(0, line.length() - 1);
            }
            line = line.replace('\f', ' ');
            if (line.isBlank()) {
                flush(paragraph, out);
                continue;
            }
            if (clauses) {
                if (titlePending) {
                    titlePending = false;
                    String t = line.strip();
                    if (t.length() <= 100 && clauseHeading(t) == null && !t.endsWith(".")) {
                        out.extendLastHeading(t); // "Annex A (informative):" with its title on the next line
                        continue;
                    }
                }
                String heading = clauseHeading(line);
                if (heading != null) {
                    flush(paragraph, out);
                    out.heading(depth(heading), heading);
                    clauseCount++;
                    titlePending = heading.startsWith("Annex ") && heading.endsWith(":");
                    continue;
                }
            }
            paragraph.add(line.stripTrailing());
        }
        flush(paragraph, out);
        String format = clauseCount >= 2 ? "3gpp-text" : "text";
        return new ParsedDocument(documentId, format, header.info(documentId, out.firstHeading(), null), out.build());
    }

    /** The clause heading a line is ("5.3.1 RRC connection"), or null. */
    static String clauseHeading(String line) {
        if (line.length() > 140 || line.isEmpty()) {
            return null;
        }
        char c = line.strip().isEmpty() ? ' ' : line.strip().charAt(0);
        if (!Character.isDigit(c) && c != 'A' && !Character.isUpperCase(c)) {
            return null;
        }
        Matcher a = ANNEX.matcher(line);
        if (a.matches()) {
            String title = a.group(3).strip();
            return a.group(1) + (a.group(2) == null ? "" : " " + a.group(2)) + ":" + (title.isEmpty() ? "" : " " + title);
        }
        Matcher m = CLAUSE.matcher(line);
        if (!m.matches()) {
            return null;
        }
        String number = m.group(1);
        String title = m.group(2).strip();
        if (Character.isLetter(number.charAt(0)) && number.length() == 1) {
            return null; // "A Title" is a sentence, not a clause
        }
        char last = title.charAt(title.length() - 1);
        if (last == '.' || last == ',' || last == ';' || last == ':' || title.split("\\s+").length > 14) {
            return null;
        }
        return number + " " + title.replace('\t', ' ');
    }

    private static int depth(String heading) {
        if (heading.startsWith("Annex ")) {
            return 1;
        }
        int sp = heading.indexOf(' ');
        String number = sp < 0 ? heading : heading.substring(0, sp);
        int depth = 1;
        for (int i = 0; i < number.length(); i++) {
            if (number.charAt(i) == '.') {
                depth++;
            }
        }
        return depth;
    }

    /** Turns the collected lines of one paragraph into blocks and clears them. */
    static void flush(List<String> lines, SectionBuilder out) {
        flush(lines, null, false, out);
    }

    /**
     * Turns the collected lines of one paragraph into blocks and clears them. With {@code prose}
     * (layout-wrapped text such as PDF), the lines of a paragraph or list item are joined by spaces.
     */
    static void flush(List<String> lines, Integer page, boolean prose, SectionBuilder out) {
        if (lines.isEmpty()) {
            return;
        }
        List<String> current = new ArrayList<>();
        boolean inList = false;
        for (String line : lines) {
            boolean marker = LIST_MARKER.matcher(line).matches() && !isFieldContinuation(line, current);
            if (marker) {
                emit(current, inList, page, prose, out);
                inList = true;
            }
            current.add(line);
        }
        emit(current, inList, page, prose, out);
        lines.clear();
    }

    /** "- MO Class: X" under an entry belongs to that entry, not a new list item. */
    private static boolean isFieldContinuation(String line, List<String> current) {
        return !current.isEmpty() && Character.isWhitespace(line.charAt(0)) && ParameterExtractor.field(line) != null
                && ParameterExtractor.lead(current.get(0)) != null;
    }

    private static void emit(List<String> lines, boolean listItem, Integer page, boolean prose, SectionBuilder out) {
        if (lines.isEmpty()) {
            return;
        }
        String text = String.join("\n", lines).strip();
        Parameter p = parameter(lines);
        if (p != null) {
            out.add(new Block.ParameterEntry(text, p, page));
        } else if (listItem) {
            out.add(new Block.ListItem(prose ? joinProse(lines) : text, page));
        } else {
            out.add(new Block.Paragraph(prose ? joinProse(lines) : text, page));
        }
        lines.clear();
    }

    /** Joins wrapped lines with spaces; a line ending in a hyphen joins the next without one. */
    static String joinProse(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != '-') {
                sb.append(' ');
            }
            sb.append(l);
        }
        return sb.toString();
    }

    /** A parameter entry: {@code Name: description} then field lines, or a qualified name with a description. */
    static Parameter parameter(List<String> lines) {
        ParameterExtractor.Lead lead = ParameterExtractor.lead(lines.get(0));
        if (lead == null || ParameterExtractor.field(lines.get(0)) != null || ParameterExtractor.isFileName(lead.name())) {
            return null;
        }
        // The description may wrap onto the lines before the first field line.
        int firstField = ParameterExtractor.firstFieldLine(lines);
        List<String> descriptionLines = new ArrayList<>(lines.subList(1, firstField));
        descriptionLines.addFirst(lead.description());
        String description = joinProse(descriptionLines);
        List<FieldValue> fields = new ArrayList<>();
        for (int i = firstField; i < lines.size(); i++) {
            FieldValue f = ParameterExtractor.field(lines.get(i));
            if (f != null) {
                fields.add(f);
            }
        }
        if (fields.isEmpty() && !(ParameterExtractor.isQualifiedName(lead.name()) && !lead.description().isEmpty()
                && lines.size() == 1)) {
            return null;
        }
        return ParameterExtractor.build(lead.name(), description, fields);
    }
}
