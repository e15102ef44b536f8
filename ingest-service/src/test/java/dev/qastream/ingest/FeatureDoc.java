package dev.qastream.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An Ericsson-style feature document written for these tests: DOCTITLE / Product / Feature State header,
 * then Description, Parameters ({@code - **MoClass.param**:} entries with MO Class, Valid Values, Default),
 * Counters, Feature Operation and Engineering Guidelines. Each section is short, so each becomes exactly one
 * chunk (chunks never span sections): ordinal = section index.
 */
record FeatureDoc(String title, String product, String state, Map<String, String> sections) {

    static final String DESCRIPTION = "Description";
    static final String PARAMETERS = "Parameters";
    static final String COUNTERS = "Counters";
    static final String OPERATION = "Feature Operation";
    static final String GUIDELINES = "Engineering Guidelines";

    /** A complete feature document about {@code moClass.param}, with distinct text per title. */
    static FeatureDoc of(String title, String moClass, String param) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(DESCRIPTION, title + " lets the eNodeB adapt " + param + " per cell. When the cell load rises above "
                + "the configured level, the UE is steered towards a less loaded carrier so that uplink throughput "
                + "stays stable during busy hours.");
        s.put(PARAMETERS, "- **" + moClass + "." + param + "**: Whether " + title + " is active in the cell\n"
                + "  - MO Class: " + moClass + "\n"
                + "  - Valid Values: false (disabled), true (enabled)\n"
                + "  - Default: false\n"
                + "- **" + moClass + "." + param + "Threshold**: Load level above which " + title + " acts\n"
                + "  - MO Class: " + moClass + "\n"
                + "  - Valid Values: 0 to 100\n"
                + "  - Unit: percent\n"
                + "  - Default: 70");
        String counter = "pm" + Character.toUpperCase(param.charAt(0)) + param.substring(1);
        s.put(COUNTERS, "- " + counter + "Attempts: Number of times " + title + " tried to move a UE.\n"
                + "- " + counter + "Success: Number of UEs moved successfully by " + title + ".");
        s.put(OPERATION, "The eNodeB evaluates the cell load every second. If the load stays above "
                + moClass + "." + param + "Threshold for three consecutive periods, " + title
                + " selects candidate UEs and triggers a handover to the target carrier.");
        s.put(GUIDELINES, "Keep the threshold above 60 percent in dense urban cells, or the feature moves UEs "
                + "too eagerly and the MME sees extra signalling load.");
        return new FeatureDoc(title, "CXC4011234", "Active", s);
    }

    /** The same document with one section's text replaced. */
    FeatureDoc with(String section, String text) {
        Map<String, String> s = new LinkedHashMap<>(sections);
        if (!s.containsKey(section)) {
            throw new IllegalArgumentException("no section " + section);
        }
        s.put(section, text);
        return new FeatureDoc(title, product, state, s);
    }

    /** The same document without the given sections. */
    FeatureDoc without(String... names) {
        Map<String, String> s = new LinkedHashMap<>(sections);
        for (String n : names) {
            s.remove(n);
        }
        return new FeatureDoc(title, product, state, s);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder()
                .append("DOCTITLE: ").append(title).append('\n')
                .append("Product: ").append(product).append('\n')
                .append("Feature State: ").append(state).append('\n');
        sections.forEach((name, text) -> sb.append("\n## ").append(name).append('\n').append(text).append('\n'));
        return sb.toString();
    }
}
