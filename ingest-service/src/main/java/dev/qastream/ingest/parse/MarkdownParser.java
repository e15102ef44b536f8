package dev.qastream.ingest.parse;

import dev.qastream.ingest.meta.ParameterExtractor;
import dev.qastream.schemas.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableHead;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.ListBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * Markdown (CommonMark + GFM tables). Headings make sections; paragraphs, list items, code blocks
 * and table rows become blocks; list entries and table rows that describe parameters become
 * parameter entries. Header lines ({@code DOCTITLE:} ...) before the first heading are metadata.
 */
final class MarkdownParser {

    // Parser instances are immutable and safe to share between threads.
    private static final Parser PARSER = Parser.builder().extensions(List.of(TablesExtension.create())).build();
    private static final Pattern TAG = Pattern.compile("<!--.*?-->|<[^>]*>", Pattern.DOTALL);

    private MarkdownParser() {}

    static ParsedDocument parse(String documentId, String text) {
        DocumentHeader header = DocumentHeader.read(text);
        Node root = PARSER.parse(header.end == 0 ? text : text.substring(header.end));
        SectionBuilder sections = new SectionBuilder();
        for (Node n = root.getFirstChild(); n != null; n = n.getNext()) {
            n = block(n, sections, header);
        }
        return new ParsedDocument(documentId, "markdown",
                header.info(documentId, sections.firstHeading(), sections.firstHeading()), sections.build());
    }

    /** Adds one top-level node; returns the last node consumed (a parameter lead may take the list after it). */
    private static Node block(Node n, SectionBuilder out, DocumentHeader header) {
        switch (n) {
            case Heading h -> out.heading(h.getLevel(), inline(h, false));
            case Paragraph p -> {
                String lines = inline(p, true);
                if (lines.equals("[[_TOC_]]") || lines.equals("[[TOC]]") || lines.equalsIgnoreCase("Table of Contents")
                        || lines.equalsIgnoreCase("Contents")) {
                    return n;
                }
                if (!out.hasHeading() && out.isEmpty() && headerParagraph(lines, header)) {
                    return n;
                }
                Node next = n.getNext();
                if (next instanceof BulletList list && isFieldList(list)) {
                    Parameter parameter = parameterOf(p, List.of(list));
                    if (parameter != null) {
                        out.add(new Block.ParameterEntry(lines + "\n" + renderList(list, "  "), parameter, null));
                        return next;
                    }
                }
                if (lines.indexOf('\n') > 0 && ParameterExtractor.field(lines.substring(lines.indexOf('\n') + 1)) != null) {
                    Parameter parameter = parameterOf(p, List.of());
                    if (parameter == null) {
                        parameter = PlainTextParser.parameter(List.of(lines.split("\n"))); // "Name: text" without emphasis
                    }
                    if (parameter != null) {
                        out.add(new Block.ParameterEntry(lines, parameter, null));
                        return n;
                    }
                }
                out.add(new Block.Paragraph(inline(p, false), null));
            }
            case ListBlock list -> listItems(list, out);
            case FencedCodeBlock code -> out.add(new Block.Paragraph(fenced(code.getInfo(), code.getLiteral()), null));
            case IndentedCodeBlock code -> out.add(new Block.Paragraph(fenced("", code.getLiteral()), null));
            case BlockQuote quote -> {
                for (Node c = quote.getFirstChild(); c != null; c = c.getNext()) {
                    c = block(c, out, header);
                }
            }
            case TableBlock table -> table(table, out);
            case HtmlBlock html -> {
                String t = TAG.matcher(html.getLiteral()).replaceAll(" ").strip();
                if (!t.isEmpty()) {
                    out.add(new Block.Paragraph(t, null));
                }
            }
            case ThematicBreak ignored -> { }
            default -> {
                String t = inline(n, false);
                if (!t.isBlank()) {
                    out.add(new Block.Paragraph(t, null));
                }
            }
        }
        return n;
    }

    /** Header lines written as a paragraph after a blank line or an early heading-less preamble. */
    private static boolean headerParagraph(String lines, DocumentHeader header) {
        String[] parts = lines.split("\n");
        DocumentHeader probe = new DocumentHeader();
        for (String line : parts) {
            if (!probe.accept(line)) {
                return false;
            }
        }
        for (String line : parts) {
            header.accept(line);
        }
        return true;
    }

    private static void listItems(ListBlock list, SectionBuilder out) {
        int number = list instanceof OrderedList ol && ol.getMarkerStartNumber() != null ? ol.getMarkerStartNumber() : 1;
        for (Node c = list.getFirstChild(); c != null; c = c.getNext()) {
            if (!(c instanceof ListItem item)) {
                continue;
            }
            String marker = list instanceof OrderedList ? (number++) + ". " : "- ";
            StringBuilder sb = new StringBuilder();
            renderItem(item, marker, "", sb);
            String text = sb.toString();
            Parameter parameter = parameterEntry(item);
            out.add(parameter != null ? new Block.ParameterEntry(text, parameter, null) : new Block.ListItem(text, null));
        }
    }

    /** The parameter a list item describes, or null: a name in bold/code, then a description and/or field lines. */
    private static Parameter parameterEntry(ListItem item) {
        if (!(item.getFirstChild() instanceof Paragraph lead)) {
            return null;
        }
        List<ListBlock> nested = new ArrayList<>();
        for (Node c = lead.getNext(); c != null; c = c.getNext()) {
            if (c instanceof ListBlock lb) {
                nested.add(lb);
            }
        }
        return parameterOf(lead, nested);
    }

    private static Parameter parameterOf(Paragraph lead, List<ListBlock> nested) {
        Node first = lead.getFirstChild();
        while (first instanceof Text t && t.getLiteral().isBlank()) {
            first = first.getNext();
        }
        if (!(first instanceof StrongEmphasis || first instanceof Code || first instanceof Emphasis)) {
            return null;
        }
        StringBuilder rest = new StringBuilder();
        for (Node c = first.getNext(); c != null; c = c.getNext()) {
            inline(c, rest, true);
        }
        List<String> nestedLines = new ArrayList<>();
        for (ListBlock list : nested) {
            for (Node c = list.getFirstChild(); c != null; c = c.getNext()) {
                if (c.getFirstChild() instanceof Paragraph p) {
                    nestedLines.add(inline(p, false));
                }
            }
        }
        String name = first instanceof Code code ? code.getLiteral() : inline(first, false);
        return ParameterEntries.of(name, first instanceof Code, rest.toString(), nestedLines);
    }

    private static boolean isFieldList(BulletList list) {
        int n = 0;
        for (Node c = list.getFirstChild(); c != null; c = c.getNext()) {
            if (!(c.getFirstChild() instanceof Paragraph p) || ParameterExtractor.field(inline(p, false)) == null) {
                return false;
            }
            n++;
        }
        return n > 0;
    }

    private static void table(TableBlock table, SectionBuilder out) {
        List<String> header = List.of();
        List<List<String>> rows = new ArrayList<>();
        for (Node part = table.getFirstChild(); part != null; part = part.getNext()) {
            for (Node r = part.getFirstChild(); r != null; r = r.getNext()) {
                if (!(r instanceof TableRow row)) {
                    continue;
                }
                List<String> cells = new ArrayList<>();
                for (Node c = row.getFirstChild(); c != null; c = c.getNext()) {
                    if (c instanceof TableCell cell) {
                        cells.add(inline(cell, false));
                    }
                }
                if (part instanceof TableHead) {
                    header = cells;
                } else {
                    rows.add(cells);
                }
            }
        }
        Tables.addRows(header, rows, null, out);
    }

    private static String renderList(ListBlock list, String indent) {
        StringBuilder sb = new StringBuilder();
        int number = list instanceof OrderedList ol && ol.getMarkerStartNumber() != null ? ol.getMarkerStartNumber() : 1;
        for (Node c = list.getFirstChild(); c != null; c = c.getNext()) {
            if (c instanceof ListItem item) {
                renderItem(item, list instanceof OrderedList ? (number++) + ". " : "- ", indent, sb);
            }
        }
        return sb.toString();
    }

    /** A list item as indented lines: marker and first paragraph, then nested items one level deeper. */
    private static void renderItem(ListItem item, String marker, String indent, StringBuilder out) {
        boolean first = true;
        for (Node c = item.getFirstChild(); c != null; c = c.getNext()) {
            if (c instanceof ListBlock nested) {
                String inner = renderList(nested, indent + "  ");
                if (!inner.isEmpty()) {
                    if (!out.isEmpty()) {
                        out.append('\n');
                    }
                    out.append(inner);
                }
                continue;
            }
            String t = switch (c) {
                case Paragraph p -> inline(p, true);
                case FencedCodeBlock code -> fenced(code.getInfo(), code.getLiteral());
                case IndentedCodeBlock code -> fenced("", code.getLiteral());
                case HtmlBlock html -> TAG.matcher(html.getLiteral()).replaceAll(" ").strip();
                default -> inline(c, false);
            };
            if (t.isBlank()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('\n');
            }
            String pad = indent + "  ";
            out.append(indent).append(first ? marker : "  ").append(t.replace("\n", "\n" + pad));
            first = false;
        }
    }

    private static String fenced(String info, String literal) {
        return "```" + (info == null ? "" : info.strip()) + "\n" + literal.stripTrailing() + "\n```";
    }

    /** Plain text of a node's inlines: emphasis and link markup dropped, code spans kept in backticks, images dropped. */
    static String inline(Node node, boolean keepLineBreaks) {
        StringBuilder sb = new StringBuilder();
        for (Node c = node.getFirstChild(); c != null; c = c.getNext()) {
            inline(c, sb, keepLineBreaks);
        }
        return sb.toString().strip();
    }

    private static void inline(Node n, StringBuilder sb, boolean keepLineBreaks) {
        switch (n) {
            case Text t -> sb.append(t.getLiteral());
            case Code c -> sb.append('`').append(c.getLiteral()).append('`');
            case SoftLineBreak ignored -> sb.append(keepLineBreaks ? '\n' : ' ');
            case HardLineBreak ignored -> sb.append('\n');
            case Image ignored -> { }
            case HtmlInline h -> {
                String lit = h.getLiteral();
                if (lit.startsWith("<br")) {
                    sb.append(' ');
                }
            }
            default -> {
                for (Node c = n.getFirstChild(); c != null; c = c.getNext()) {
                    inline(c, sb, keepLineBreaks);
                }
            }
        }
    }
}
