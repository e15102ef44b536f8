package dev.qastream.llm.extractive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Every fixed wording of the extractive generator, in one place so their hash can version the output. */
final class Templates {
    static final String Q_DEFAULT = "What is the default value of %s?";
    static final String A_DEFAULT = "The default value of %s is %s.";
    static final String Q_VALID = "What are the valid values of %s?";
    static final String A_VALID = "The valid values of %s are %s.";
    static final String A_VALID_UNIT = "The valid values of %s are %s (unit: %s).";
    static final String Q_MO_CLASS = "Which MO class does the parameter %s belong to?";
    static final String A_MO_CLASS = "The parameter %s belongs to the %s MO class.";
    static final String Q_CONTROL = "What does %s control?";
    static final String Q_FEATURE = "What does the %s feature do?";
    /** A title that names a document (a guide, a table), not a feature. */
    static final String Q_DOCUMENT = "What is the %s about?";
    /** A title that names a task ("Configuring the logging facility"). */
    static final String Q_TASK = "What does %s involve?";
    static final String Q_COUNTER = "What does the counter %s measure?";
    static final String COUNTER_SUBJECT = "The counter %s";
    static final String PARAMETER_VERB = "is";
    static final String COUNTER_VERB = "measures";
    static final String CONDITION_VERB = "determines";
    static final String APPLIES_VERB = "applies";
    static final String FOR_SUBJECT = "For %s, %s";
    static final String NAME_IN_FEATURE = "%s in %s";
    /** A parameter's value facts in one pair, when one pair per fact would not fit the cap: "What are the ... of X?" */
    static final String Q_PROFILE = "What are the %s of %s?";
    static final String Q_COUNTERS = "What do the counters %s measure?";

    /** Bump when the extraction rules change without a wording change; it is part of the version hash. */
    static final String RULES_REVISION = "3";

    private static final List<String> ALL = List.of(Q_DEFAULT, A_DEFAULT, Q_VALID, A_VALID, A_VALID_UNIT,
            Q_MO_CLASS, A_MO_CLASS, Q_CONTROL, Q_FEATURE, Q_DOCUMENT, Q_TASK, Q_COUNTER, COUNTER_SUBJECT, PARAMETER_VERB, COUNTER_VERB,
            CONDITION_VERB, APPLIES_VERB, FOR_SUBJECT, NAME_IN_FEATURE, Q_PROFILE, Q_COUNTERS, RULES_REVISION);

    private Templates() {
    }

    /**
     * "extractive-v1-" + 8 hex of SHA-256 over the templates and the cap: a changed cap changes
     * which slots exist, so it is a new version just like a changed wording.
     */
    static String version(int maxPairs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((String.join("\n", ALL) + "\ncap=" + maxPairs).getBytes(StandardCharsets.UTF_8));
            return "extractive-v1-" + HexFormat.of().formatHex(digest).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
