package dev.qastream.ingest.parse;

import dev.qastream.schemas.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/**
 * HTML (jsoup). {@code h1}-{@code h6} make sections; paragraphs, list items, {@code pre} blocks and
 * loose text become blocks; tables become one block per row (parameter tables: parameter entries);
 * list items and definition terms that describe parameters become parameter entries. Metadata comes
 * from {@code <meta name="doctitle|product|feature-state">}, {@code DOCTITLE:}-style lines before the
 * first heading, and {@code <title>}. Scripts, styles and navigation are ignored.
 */
final class HtmlParser {

    private static final Set<String> SKIP = Set.of("script", "style", "noscript", "template", "nav", "head", "svg",
            "iframe", "button", "select", "option", "img", "input", "textarea", "canvas", "video", "audio", "map", "object");
    private static final Set<String> CONTAINERS = Set.of("body", "div", "section", "article", "main", "header",
            "footer", "aside", "blockquote", "figure", "figcaption", "center", "details", "summary", "fieldset", "form",
            "address", "hgroup", "caption", "html");
    private static final Set<String> LEAD_TAGS = Set.of("b", "strong", "code", "em", "i", "tt", "kbd", "var");

    private HtmlParser() {}

    static ParsedDocument parse(String documentId, String html) {
        Document d = Jsoup.parse(html);
        DocumentHeader header = new DocumentHeader();
        for (Element meta : d.select("meta[name]")) {
            String name = meta.attr("name").toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
            String content = meta.attr("content");
            switch (name) {
                case "doctitle", "dc.title" -> header.accept("DOCTITLE: " + content);
                case "product", "products", "product-number", "product-numbers" -> header.accept("Product: " + content);
                case "feature-state", "featurestate" -> header.accept("Feature State: " + content);
                default -> { }
            }
        }
        Walker walker = new Walker(header);
        walker.container(d.body());
        walker.flushInline();
        String title = d.title();
        return new ParsedDocument(documentId, "html",
                header.info(documentId, walker.out.firstHeading(), title.isBlank() ? null : title), walker.out.build());
    }

    private static final class Walker {
        final SectionBuilder out = new SectionBuilder();
        final DocumentHeader header;
        final StringBuilder inline = new StringBuilder();

        Walker(DocumentHeader header) {
            this.header = header;
        }

        void container(Element el) {
            for (Node n : el.childNodes()) {
                if (n instanceof TextNode t) {
                    inline.append(t.text());
                    continue;
                }
                if (!(n instanceof Element e)) {
                    continue;
                }
                String tag = e.normalName();
                if (SKIP.contains(tag)) {
                    continue;
                }
                switch (tag) {
                    case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                        flushInline();
                        out.heading(tag.charAt(1) - '0', e.text());
                    }
                    case "p" -> {
                        flushInline();
                        paragraph(lines(e));
                    }
                    case "ul", "ol", "menu" -> {
                        flushInline();
                        list(e);
                    }
                    case "pre" -> {
                        flushInline();
                        String code = e.wholeText().stripTrailing();
                        if (!code.isBlank()) {
                            out.add(new Block.Paragraph("```\n" + code.replaceAll("^\\n+", "") + "\n```", null));
                        }
                    }
                    case "table" -> {
                        flushInline();
                        table(e);
                    }
                    case "dl" -> {
                        flushInline();
                        definitions(e);
                    }
                    case "br", "hr" -> inline.append('\n');
                    default -> {
                        if (CONTAINERS.contains(tag)) {
                            flushInline();
                            container(e);
                            flushInline();
                        } else {
                            appendLines(e, inline, false);
                        }
                    }
                }
            }
        }

        void flushInline() {
            String t = inline.toString().strip();
            inline.setLength(0);
            if (!t.isEmpty()) {
                paragraph(collapse(t));
            }
        }

        /** A paragraph; before the first heading, DOCTITLE-style lines are metadata. */
        void paragraph(String text) {
            if (text.isBlank()) {
                return;
            }
            if (!out.hasHeading() && out.isEmpty()) {
                String[] parts = text.split("\n");
                DocumentHeader probe = new DocumentHeader();
                boolean all = true;
                for (String line : parts) {
                    all &= probe.accept(line);
                }
                if (all) {
                    for (String line : parts) {
                        header.accept(line);
                    }
                    return;
                }
            }
            out.add(new Block.Paragraph(text.replace('\n', ' ').replaceAll(" {2,}", " ").strip(), null));
        }

        void list(Element list) {
            int number = 1;
            boolean ordered = list.normalName().equals("ol");
            if (ordered && list.hasAttr("start")) {
                try {
                    number = Integer.parseInt(list.attr("start").strip());
                } catch (NumberFormatException ignored) {
                    // keep 1
                }
            }
            for (Element li : list.children()) {
                if (!li.normalName().equals("li")) {
                    continue;
                }
                StringBuilder sb = new StringBuilder();
                renderItem(li, ordered ? (number++) + ". " : "- ", "", sb);
                String text = sb.toString();
                if (text.isBlank()) {
                    continue;
                }
                Parameter p = parameterEntry(li);
                out.add(p != null ? new Block.ParameterEntry(text, p, null) : new Block.ListItem(text, null));
            }
        }

        void table(Element table) {
            List<List<String>> rows = new ArrayList<>();
            List<String> header = List.of();
            boolean headerFound = false;
            for (Element row : rows(table)) {
                List<String> cells = new ArrayList<>();
                boolean allTh = true;
                for (Element cell : row.children()) {
                    String tag = cell.normalName();
                    if (tag.equals("td") || tag.equals("th")) {
                        cells.add(cell.text());
                        allTh &= tag.equals("th");
                    }
                }
                if (cells.isEmpty()) {
                    continue;
                }
                boolean inHead = row.parent() != null && row.parent().normalName().equals("thead");
                if (!headerFound && rows.isEmpty() && (inHead || allTh)) {
                    header = cells;
                    headerFound = true;
                } else {
                    rows.add(cells);
                }
            }
            Tables.addRows(header, rows, null, out);
        }

        void definitions(Element dl) {
            String term = null;
            for (Element c : dl.children()) {
                if (c.normalName().equals("dt")) {
                    term = c.text();
                } else if (c.normalName().equals("dd")) {
                    String description = lines(c);
                    Parameter p = term == null ? null : ParameterEntries.of(term, true, ": " + description, List.of());
                    String text = term == null ? description : term + ": " + description;
                    out.add(p != null ? new Block.ParameterEntry(text, p, null) : new Block.Paragraph(text.replace('\n', ' '), null));
                }
            }
        }
    }

    private static List<Element> rows(Element table) {
        List<Element> rows = new ArrayList<>();
        for (Element c : table.children()) {
            switch (c.normalName()) {
                case "tr" -> rows.add(c);
                case "thead", "tbody", "tfoot" -> {
                    for (Element r : c.children()) {
                        if (r.normalName().equals("tr")) {
                            rows.add(r);
                        }
                    }
                }
                default -> { }
            }
        }
        return rows;
    }

    /** A list item as indented lines: its own text, then nested lists one level deeper. */
    private static void renderItem(Element li, String marker, String indent, StringBuilder out) {
        String own = lines(li, true).strip();
        if (!own.isEmpty()) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(indent).append(marker).append(own.replace("\n", "\n" + indent + "  "));
        }
        for (Element nested : li.children()) {
            String tag = nested.normalName();
            if (tag.equals("ul") || tag.equals("ol")) {
                int number = 1;
                for (Element child : nested.children()) {
                    if (child.normalName().equals("li")) {
                        renderItem(child, tag.equals("ol") ? (number++) + ". " : "- ", indent + "  ", out);
                    }
                }
            }
        }
    }

    /** The parameter a list item describes: a bold/code name first, then description and field lines. */
    private static Parameter parameterEntry(Element li) {
        // The lead may sit directly in the <li> or in its first <p>: flatten that <p> into the item.
        List<Node> nodes = new ArrayList<>();
        boolean firstSeen = false;
        for (Node n : li.childNodes()) {
            if (!firstSeen && n instanceof TextNode t && t.isBlank()) {
                continue;
            }
            if (!firstSeen && n instanceof Element p && p.normalName().equals("p")) {
                nodes.addAll(p.childNodes());
            } else {
                nodes.add(n);
            }
            firstSeen = true;
        }
        int leadIndex = 0;
        while (leadIndex < nodes.size() && nodes.get(leadIndex) instanceof TextNode t && t.isBlank()) {
            leadIndex++;
        }
        if (leadIndex == nodes.size() || !(nodes.get(leadIndex) instanceof Element lead)
                || !LEAD_TAGS.contains(lead.normalName())) {
            return null;
        }
        StringBuilder rest = new StringBuilder();
        List<String> nestedLines = new ArrayList<>();
        for (Node n : nodes.subList(leadIndex + 1, nodes.size())) {
            if (n instanceof TextNode t) {
                rest.append(t.text());
            } else if (n instanceof Element e) {
                String tag = e.normalName();
                if (tag.equals("ul") || tag.equals("ol")) {
                    for (Element child : e.children()) {
                        if (child.normalName().equals("li")) {
                            nestedLines.add(lines(child, true).split("\n")[0]);
                        }
                    }
                } else if (tag.equals("br") || tag.equals("p") || tag.equals("div")) {
                    rest.append('\n').append(tag.equals("br") ? "" : lines(e));
                } else {
                    rest.append(e.text());
                }
            }
        }
        String code = lead.normalName();
        return ParameterEntries.of(lead.text(), code.equals("code") || code.equals("tt") || code.equals("kbd"),
                collapse(rest.toString()), nestedLines);
    }

    private static String lines(Element e) {
        return lines(e, false);
    }

    /**
     * Text with white space collapsed, except that {@code <br>} and block children start new lines.
     * With {@code skipLists}, nested lists are left out (they are rendered separately).
     */
    private static String lines(Element e, boolean skipLists) {
        StringBuilder sb = new StringBuilder();
        appendLines(e, sb, skipLists);
        return collapse(sb.toString());
    }

    private static void appendLines(Element e, StringBuilder sb, boolean skipLists) {
        for (Node n : e.childNodes()) {
            if (n instanceof TextNode t) {
                sb.append(t.text());
            } else if (n instanceof Element c) {
                String tag = c.normalName();
                if (SKIP.contains(tag) || (skipLists && (tag.equals("ul") || tag.equals("ol")))) {
                    continue;
                }
                if (tag.equals("br")) {
                    sb.append('\n');
                } else if (tag.equals("p") || tag.equals("div") || tag.equals("pre") || tag.equals("table") || tag.equals("li")) {
                    sb.append('\n');
                    appendLines(c, sb, skipLists);
                    sb.append('\n');
                } else {
                    appendLines(c, sb, skipLists);
                }
            }
        }
    }

    /** Collapses runs of spaces and blank lines; trims each line. */
    private static String collapse(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (String line : s.split("\n")) {
            String l = line.replaceAll("[ \\t\\u00A0]+", " ").strip();
            if (l.isEmpty()) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(l);
        }
        return sb.toString();
    }
}
