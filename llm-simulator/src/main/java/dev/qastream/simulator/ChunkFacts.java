package dev.qastream.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The facts a simulated model can state about a document chunk: parameter entries
 * ({@code - **MoClass.name**: description} with indented {@code Default:}, {@code Valid Values:},
 * {@code MO Class:}, {@code Unit:} lines; or, as the chunker writes them, without the bold but with at least one
 * such line; or a table row as the chunker writes it, {@code Parameter: name | MO Class: ... | Default: ...}),
 * counters ({@code pmXxx}), a title and prose sentences.
 */
record ChunkFacts(String title, List<Param> params, Map<String, String> counters, List<String> sentences) {

    record Param(String name, String description, String defaultValue, String validValues, String moClass, String unit) {
    }

    private static final Pattern ENTRY = Pattern.compile("^\\s*[-*]\\s+\\*\\*([A-Za-z][\\w.]*)\\*\\*\\s*:?\\s*(.*)$");
    /** The chunker's form: the bold is gone, so an entry is known by the field lines under it. */
    private static final Pattern PLAIN_ENTRY = Pattern.compile("^[-*]\\s+([A-Za-z][\\w.]*)\\s*:\\s*(.*)$");
    private static final Pattern FIELD = Pattern.compile("^\\s+[-*]\\s+(Default|Valid Values|MO Class|Unit)\\s*:\\s*(.*)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern COUNTER = Pattern.compile("\\bpm[A-Z]\\w+");
    private static final Pattern TITLE = Pattern.compile("^(?:DOCTITLE:\\s*|#\\s+)(.+)$", Pattern.MULTILINE);
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z])");
    private static final Pattern NOT_PROSE = Pattern.compile("^\\s*(?:[-*#|>]|\\w[\\w ]{0,30}:\\s|```)");

    static ChunkFacts parse(String text) {
        List<Param> params = new ArrayList<>();
        Map<String, String> counters = new LinkedHashMap<>();
        List<String> sentences = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            Param row = tableRow(lines[i]);
            if (row != null) {
                params.add(row);
                continue;
            }
            Matcher entry = ENTRY.matcher(lines[i]);
            if (!entry.matches() && i + 1 < lines.length && FIELD.matcher(lines[i + 1]).matches()) {
                entry = PLAIN_ENTRY.matcher(lines[i]);
            }
            if (entry.matches()) {
                String name = entry.group(1);
                String description = entry.group(2).strip();
                if (COUNTER.matcher(name).matches()) {
                    counters.put(name, description);
                    continue;
                }
                Map<String, String> fields = new LinkedHashMap<>();
                while (i + 1 < lines.length && FIELD.matcher(lines[i + 1]).matches()) {
                    Matcher f = FIELD.matcher(lines[++i]);
                    f.matches();
                    fields.put(f.group(1).toLowerCase(), f.group(2).strip());
                }
                params.add(new Param(name, description, fields.get("default"), fields.get("valid values"),
                        fields.get("mo class"), fields.get("unit")));
            } else if (!NOT_PROSE.matcher(lines[i]).find() && !lines[i].isBlank()) {
                for (String s : SENTENCE_END.split(lines[i].strip())) {
                    if (s.split("\\s+").length >= 6) {
                        sentences.add(s.replace("**", ""));
                    }
                }
            }
        }
        Matcher c = COUNTER.matcher(text);
        while (c.find()) {
            counters.putIfAbsent(c.group(), "");
        }
        Matcher t = TITLE.matcher(text);
        String title = t.find() ? t.group(1).strip() : "";
        return new ChunkFacts(title, params, counters, sentences);
    }

    private static final Pattern CELL = Pattern.compile("^\\s*([A-Za-z][\\w ]{0,30}?)\\s*:\\s*(.*?)\\s*$");

    /** "Parameter: x | MO Class: M | Range: 1 to 2 | Default: 2 | Unit: ms" (a table row in the chunker's form). */
    private static Param tableRow(String line) {
        if (!line.contains(" | ")) {
            return null;
        }
        Map<String, String> cells = new LinkedHashMap<>();
        for (String cell : line.split("\\s\\|\\s")) {
            Matcher m = CELL.matcher(cell);
            if (m.matches()) {
                cells.put(m.group(1).strip().toLowerCase(java.util.Locale.ROOT), m.group(2));
            }
        }
        String name = cells.getOrDefault("parameter", cells.getOrDefault("parameter name", cells.get("name")));
        if (name == null || !name.matches("[A-Za-z][\\w.]*")) {
            return null;
        }
        String mo = blankToNull(cells.get("mo class"));
        String qualified = mo == null || name.startsWith(mo + ".") ? name : mo + "." + name;
        String values = blankToNull(cells.getOrDefault("valid values", cells.get("range")));
        return new Param(qualified, cells.getOrDefault("description", ""), blankToNull(cells.get("default")), values, mo,
                blankToNull(cells.get("unit")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
