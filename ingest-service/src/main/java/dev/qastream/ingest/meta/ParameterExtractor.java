package dev.qastream.ingest.meta;

import dev.qastream.schemas.Parameter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises configuration parameters: parameter list entries ({@code **MoClass.name**: description}
 * with nested {@code MO Class:}, {@code Valid Values:}, {@code Default:}, {@code Unit:} lines),
 * parameter tables (by their column headers) and exact {@code MoClass.parameterName} references in
 * running text. Pure functions; the parsers supply the structure they found.
 */
public final class ParameterExtractor {

    /** The facts a parameter entry or parameter table column can carry. */
    public enum Field { NAME, MO_CLASS, DESCRIPTION, VALID_VALUES, DEFAULT, UNIT }

    /** A recognised {@code Label: value} line of a parameter entry. */
    public record FieldValue(Field field, String value) {}

    /** The lead line of an entry: the parameter name and the description that follows it. */
    public record Lead(String name, String description) {}

    // Labels seen in feature documentation, lower-cased, mapped to the field they fill.
    private static final Map<String, Field> LABELS = Map.ofEntries(
            Map.entry("mo class", Field.MO_CLASS), Map.entry("mo", Field.MO_CLASS),
            Map.entry("managed object", Field.MO_CLASS), Map.entry("managed object class", Field.MO_CLASS),
            Map.entry("class", Field.MO_CLASS),
            Map.entry("description", Field.DESCRIPTION), Map.entry("meaning", Field.DESCRIPTION),
            Map.entry("valid values", Field.VALID_VALUES), Map.entry("values", Field.VALID_VALUES),
            Map.entry("value range", Field.VALID_VALUES), Map.entry("range", Field.VALID_VALUES),
            Map.entry("allowed values", Field.VALID_VALUES), Map.entry("valid range", Field.VALID_VALUES),
            Map.entry("default", Field.DEFAULT), Map.entry("default value", Field.DEFAULT),
            Map.entry("unit", Field.UNIT), Map.entry("units", Field.UNIT));

    private static final Map<String, Field> COLUMN_LABELS;

    static {
        Map<String, Field> columns = new java.util.HashMap<>(LABELS);
        columns.remove("class"); // too vague as a column name on its own
        columns.put("parameter", Field.NAME);
        columns.put("parameter name", Field.NAME);
        columns.put("parameters", Field.NAME);
        columns.put("name", Field.NAME);
        columns.put("attribute", Field.NAME);
        columns.put("mo attribute", Field.NAME);
        COLUMN_LABELS = Map.copyOf(columns);
    }

    private static final Pattern FIELD_LINE = Pattern.compile("^\\s*(?:[-*+\u2022]\\s+)?\\**([A-Za-z][A-Za-z ]{0,30}?)\\**\\s*:\\**\\s*(.*)$", Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z][A-Za-z0-9_]*)*");
    private static final Pattern QUALIFIED = Pattern.compile("[A-Z][A-Za-z0-9_]*(?:\\.[A-Za-z][A-Za-z0-9_]*)+");
    private static final Pattern TEXT_LEAD = Pattern.compile(
            "^\\s*(?:[-*+\u2022]\\s+)?[*`_]{0,3}([A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z][A-Za-z0-9_]*)*)[*`_]{0,3}\\s*(?::|\\s[-\u2013\u2014]\\s)\\s*(.*)$",
            Pattern.DOTALL);
    private static final Set<String> FILE_EXTENSIONS = Set.of(
            "md", "txt", "pdf", "html", "htm", "c", "h", "cpp", "hpp", "py", "java", "conf", "cfg", "png", "jpg",
            "jpeg", "svg", "gif", "yaml", "yml", "json", "csv", "sh", "xml", "so", "io", "com", "org", "net", "log",
            "ini", "toml", "js", "ts", "go", "rs", "gz", "tar", "zip", "deb", "rpm", "bin", "exe", "dat", "out");

    private static final Set<String> SOURCE_EXTENSIONS = Set.of("md", "txt", "pdf", "html", "htm", "c", "h", "cpp",
            "hpp", "py", "java", "conf", "cfg", "png", "jpg", "jpeg", "svg", "gif", "yaml", "yml", "json", "csv", "sh",
            "xml", "so", "ini", "toml", "js", "ts", "go", "rs");

    private ParameterExtractor() {}

    /** Parses a {@code Label: value} line of a parameter entry; null if it is not one. */
    public static FieldValue field(String line) {
        int colon = line.indexOf(':');
        if (colon < 0 || colon > 40) {
            return null;
        }
        Matcher m = FIELD_LINE.matcher(line);
        if (!m.matches()) {
            return null;
        }
        Field f = LABELS.get(m.group(1).trim().toLowerCase(Locale.ROOT));
        if (f == null) {
            return null;
        }
        return new FieldValue(f, cleanValue(m.group(2)));
    }

    /** Whether a text is usable as a parameter name: an identifier, optionally dotted. */
    public static boolean isParameterName(String s) {
        return s != null && s.length() <= 120 && NAME.matcher(s).matches();
    }

    /**
     * Where an entry's field lines start: its description (line 0, wrapped over as many lines as it takes) goes on
     * until the first line that is a field ({@code Default: 20}), or to the end.
     */
    public static int firstFieldLine(List<String> lines) {
        int i = 1;
        while (i < lines.size() && field(lines.get(i)) == null) {
            i++;
        }
        return i;
    }

    /**
     * Whether a dotted name is a file's ({@code oaioran.c}, {@code README.md}): not a parameter. Only extensions
     * that are never an attribute's name count ("log", "out" or "io" after an MO class may well be one).
     */
    public static boolean isFileName(String s) {
        int dot = s == null ? -1 : s.lastIndexOf('.');
        return dot > 0 && SOURCE_EXTENSIONS.contains(s.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Whether a name is qualified by an MO class ({@code EUtranCellFDD.ttiBundlingUl}). */
    public static boolean isQualifiedName(String s) {
        return s != null && QUALIFIED.matcher(s).matches();
    }

    /**
     * Parses an entry's lead line written as plain text: {@code Name: description} or
     * {@code Name - description}, with optional list marker and emphasis. Null if it is not one.
     */
    public static Lead lead(String line) {
        Matcher m = TEXT_LEAD.matcher(line);
        if (!m.matches()) {
            return null;
        }
        return new Lead(m.group(1), m.group(2).trim());
    }

    /**
     * Builds a parameter from an entry. The MO class comes from an {@code MO Class} line, otherwise
     * from the dotted name; the name never keeps the MO class.
     */
    public static Parameter build(String name, String leadDescription, List<FieldValue> fields) {
        Map<Field, String> values = new EnumMap<>(Field.class);
        for (FieldValue fv : fields) {
            if (fv.value() != null && !fv.value().isEmpty()) {
                values.merge(fv.field(), fv.value(), (a, b) -> a + "; " + b);
            }
        }
        String description = blankToNull(leadDescription);
        if (description == null) {
            description = values.get(Field.DESCRIPTION);
        }
        String bare = cleanValue(name);
        String mo = values.get(Field.MO_CLASS);
        int dot = bare.lastIndexOf('.');
        if (dot > 0) {
            if (mo == null) {
                mo = bare.substring(0, dot);
            }
            bare = bare.substring(dot + 1);
        }
        return Parameter.newBuilder()
                .setName(bare)
                .setMoClass(mo)
                .setDescription(description)
                .setValidValues(values.get(Field.VALID_VALUES))
                .setDefaultValue(values.get(Field.DEFAULT))
                .setUnit(values.get(Field.UNIT))
                .build();
    }

    /** Maps each table column to the field it holds (null where none). */
    public static List<Field> columnRoles(List<String> header) {
        List<Field> roles = new ArrayList<>(header.size());
        Set<Field> seen = java.util.EnumSet.noneOf(Field.class);
        for (String h : header) {
            String key = cleanValue(h).toLowerCase(Locale.ROOT).replaceAll("\\s*\\(.*\\)$", "").trim();
            Field f = COLUMN_LABELS.get(key);
            if (f != null && !seen.add(f)) {
                f = null; // a second column of the same kind stays plain text
            }
            roles.add(f);
        }
        return roles;
    }

    /**
     * A parameter table has a name column and at least one of MO class, default, valid values or
     * unit; a column literally called "Parameter" with a description is enough too.
     */
    public static boolean isParameterTable(List<String> header, List<Field> roles) {
        int nameColumn = roles.indexOf(Field.NAME);
        if (nameColumn < 0) {
            return false;
        }
        if (roles.contains(Field.MO_CLASS) || roles.contains(Field.DEFAULT) || roles.contains(Field.VALID_VALUES)
                || roles.contains(Field.UNIT)) {
            return true;
        }
        return roles.contains(Field.DESCRIPTION)
                && cleanValue(header.get(nameColumn)).toLowerCase(Locale.ROOT).startsWith("parameter");
    }

    /** The parameter of one parameter table row; null if the name cell holds no parameter name. */
    public static Parameter fromRow(List<Field> roles, List<String> cells) {
        String name = null;
        List<FieldValue> fields = new ArrayList<>(roles.size());
        for (int i = 0; i < roles.size() && i < cells.size(); i++) {
            Field f = roles.get(i);
            if (f == null) {
                continue;
            }
            String v = cleanValue(cells.get(i));
            if (f == Field.NAME) {
                name = v;
            } else {
                fields.add(new FieldValue(f, v));
            }
        }
        if (name == null || !isParameterName(name)) {
            return null;
        }
        return build(name, null, fields);
    }

    /** {@code MoClass.name}, or just the name when the MO class is unknown. */
    public static String qualifiedName(Parameter p) {
        return p.getMoClass() == null || p.getMoClass().isEmpty() ? p.getName() : p.getMoClass() + "." + p.getName();
    }

    /** Qualified names of the given parameters, in order, without repeats. */
    public static List<String> qualifiedNames(Collection<Parameter> parameters) {
        Set<String> names = new LinkedHashSet<>();
        for (Parameter p : parameters) {
            names.add(qualifiedName(p));
        }
        return List.copyOf(names);
    }

    /**
     * Calls {@code sink} with the start and end of every {@code MoClass.parameterName} reference: an
     * upper-case MO class with at least one lower-case letter (so {@code README.md} is not one), a dot,
     * a parameter name starting lower-case; not inside a path or URL, not a call ({@code Obj.fn(}),
     * not a longer dotted chain, not a file name ({@code Config.yaml}). A hand-written scan around
     * each dot: a regex with look-behind costs several times more on long texts.
     */
    static void scanReferences(String text, ReferenceSink sink) {
        int n = text.length();
        int dot = text.indexOf('.');
        while (dot >= 0) {
            int next = text.indexOf('.', dot + 1);
            int e = dot + 1;
            if (e < n && isAsciiLower(text.charAt(e))) {
                while (e < n && isAsciiAlnum(text.charAt(e))) {
                    e++;
                }
                boolean endOk = e == n || !(isWordChar(text.charAt(e)) || text.charAt(e) == '(' || text.charAt(e) == '/'
                        || text.charAt(e) == '-' || (text.charAt(e) == '.' && e + 1 < n && isWordChar(text.charAt(e + 1))));
                int s = dot;
                boolean lower = false;
                while (s > 0 && isAsciiAlnum(text.charAt(s - 1))) {
                    s--;
                    lower |= isAsciiLower(text.charAt(s));
                }
                if (endOk && s < dot && lower && text.charAt(s) >= 'A' && text.charAt(s) <= 'Z') {
                    char before = s == 0 ? ' ' : text.charAt(s - 1);
                    boolean startOk = !(isWordChar(before) || before == '.' || before == '/' || before == '\\' || before == '-');
                    if (startOk && !FILE_EXTENSIONS.contains(text.substring(dot + 1, e).toLowerCase(Locale.ROOT))) {
                        sink.accept(s, e);
                    }
                }
            }
            dot = next;
        }
    }

    /** Receives the span of one reference. */
    @FunctionalInterface
    interface ReferenceSink {
        void accept(int start, int end);
    }

    private static boolean isAsciiLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isWordChar(char c) {
        return isAsciiAlnum(c) || c == '_' || Character.isLetterOrDigit(c);
    }

    /** Every distinct {@code MoClass.parameterName} written in the text, in order of appearance. */
    public static List<String> exactReferences(String text) {
        Set<String> found = new LinkedHashSet<>();
        scanReferences(text, (s, e) -> found.add(text.substring(s, e)));
        return List.copyOf(found);
    }

    /** Trims and removes markdown emphasis/code markers around a value. */
    public static String cleanValue(String v) {
        if (v == null) {
            return null;
        }
        String s = v.strip();
        int a = 0;
        int b = s.length();
        while (a < b && (s.charAt(a) == '`' || s.charAt(a) == '*')) {
            a++;
        }
        while (b > a && (s.charAt(b - 1) == '`' || s.charAt(b - 1) == '*')) {
            b--;
        }
        return s.substring(a, b).strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
