package dev.qastream.ingest.parse;

import dev.qastream.ingest.meta.ParameterExtractor;
import dev.qastream.ingest.meta.ParameterExtractor.Field;
import dev.qastream.ingest.meta.ParameterExtractor.FieldValue;
import dev.qastream.schemas.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a list entry whose lead is an emphasised or code name is a parameter entry, for
 * markdown and HTML alike. Accepted:
 * <ul>
 *   <li>{@code **EUtranCellFDD.x**: description} (a qualified name with a description);</li>
 *   <li>any name followed by field lines ({@code MO Class:}, {@code Valid Values:}, {@code Default:}, ...),
 *       nested or on following lines;</li>
 *   <li>{@code `ul_max_mcs` (default 28): description}: an inline default counts as a field;</li>
 *   <li>{@code `config_key`: description} where the code span reads as a configuration key.</li>
 * </ul>
 * Prose such as {@code **Note** that ...} is not an entry.
 */
final class ParameterEntries {

    private static final Pattern INLINE_DEFAULT = Pattern.compile("\\(\\s*default\\s*[:=]?\\s*([^()]*)\\)\\s*", Pattern.CASE_INSENSITIVE);
    /** A code-span name that reads as a configuration key: snake_case, camelCase or dotted. */
    private static final Pattern CONFIG_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[_.][A-Za-z0-9]+)+|[a-z]+[A-Z][A-Za-z0-9]*");

    private ParameterEntries() {}

    /**
     * @param rawName     text of the emphasised/code lead (may end with ':')
     * @param code        whether the lead was a code span
     * @param rest        text after the lead: the description, wrapped over as many lines as it takes, then
     *                    perhaps field lines
     * @param nestedLines first lines of nested list items
     * @return the parameter, or null if this is not a parameter entry
     */
    static Parameter of(String rawName, boolean code, String rest, List<String> nestedLines) {
        String name = ParameterExtractor.cleanValue(rawName);
        boolean colonInside = name.endsWith(":");
        if (colonInside) {
            name = name.substring(0, name.length() - 1).strip();
        }
        if (!ParameterExtractor.isParameterName(name) || ParameterExtractor.isFileName(name)) {
            return null; // "`oaioran.c`: definition of callbacks" lists a file, not parameter "c" of class "oaioran"
        }
        String[] lines = rest.split("\n");
        // A description wrapped over several lines ("- `nrofDownlinkSymbols`: Indicates the number of ... within\n
        // the special slot ...") goes on until the first field line: cut at its first line, it read "within."
        int firstField = ParameterExtractor.firstFieldLine(List.of(lines));
        String description = lines.length == 0 ? "" : String.join(" ",
                Arrays.stream(lines, 0, firstField).map(String::strip).filter(l -> !l.isEmpty()).toList());
        List<FieldValue> fields = new ArrayList<>();
        if (!colonInside) {
            Matcher inlineDefault = INLINE_DEFAULT.matcher(description);
            if (inlineDefault.lookingAt()) {
                fields.add(new FieldValue(Field.DEFAULT, ParameterExtractor.cleanValue(inlineDefault.group(1))));
                description = description.substring(inlineDefault.end()).strip();
            }
            if (description.startsWith(":")) {
                description = description.substring(1).strip();
            } else if (description.startsWith("- ") || description.startsWith("\u2013") || description.startsWith("\u2014")) {
                description = description.substring(1).strip();
            } else if (!description.isEmpty()) {
                return null;
            }
        }
        for (int i = firstField; i < lines.length; i++) {
            FieldValue f = ParameterExtractor.field(lines[i]);
            if (f != null) {
                fields.add(f);
            }
        }
        for (String line : nestedLines) {
            FieldValue f = ParameterExtractor.field(line);
            if (f != null) {
                fields.add(f);
            }
        }
        boolean described = !description.isEmpty();
        boolean configKey = code && CONFIG_KEY.matcher(name).matches();
        if (fields.isEmpty() && !(described && (ParameterExtractor.isQualifiedName(name) || configKey))) {
            return null;
        }
        return ParameterExtractor.build(name, description, fields);
    }
}
