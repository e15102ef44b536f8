package dev.qastream.generation.extractive;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns parsed parameter/counter fields into self-contained sentences. */
final class Phrasing {
    // Descriptions that already start with a verb ("Controls ...") only need a subject in front.
    private static final Set<String> VERBS = Set.of("controls", "enables", "disables", "specifies", "defines", "sets",
            "determines", "indicates", "configures", "activates", "deactivates", "selects", "limits", "represents",
            "holds", "contains", "gives", "states", "allows", "counts", "measures", "records", "shows", "provides",
            "is", "has", "turns", "switches", "triggers", "affects", "governs", "denotes", "describes", "identifies",
            "stores", "decides", "reflects", "applies", "sums", "accumulates", "registers", "tracks");
    private static final Pattern SELF_REFERENCE =
            Pattern.compile("^(?:(?:this|the)\\s+(?:parameter|attribute|counter|setting)|it)\\s+", Pattern.CASE_INSENSITIVE);
    // Descriptions naming a type read best with "a"/"an" ("a boolean parameter ..."), others with "the".
    private static final Set<String> TYPE_WORDS = Set.of("boolean", "integer", "string", "enum", "enumerated",
            "enumeration", "flag", "list", "float", "numeric", "switch", "struct", "sequence", "parameter", "attribute");
    private static final Set<String> ARTICLES = Set.of("a", "an", "the");
    private static final Pattern ENTRY_SEPARATOR = Pattern.compile("\\s*(?:[,;]|\\bor\\b)\\s*(?![^()]*\\))");
    private static final Pattern PAREN_MEANING = Pattern.compile("^(.+?)\\s*\\((.+)\\)$");
    private static final Pattern EQUALS_MEANING = Pattern.compile("^(\\S+)\\s*[=:]\\s*(.+)$");
    private static final Pattern NUMBER = Pattern.compile("^-?\\d+(?:\\.\\d+)?$");

    private Phrasing() {
    }

    /** "{subject} is a boolean parameter controlling ...", or "" when the description says nothing. */
    static String describe(String subject, String description, boolean counter) {
        String d = Prose.clean(description);
        if (Prose.words(d) < 2) {
            return "";
        }
        List<String> sentences = Prose.sentences(d);
        String first = Prose.value(sentences.get(0));
        String rest = String.join(" ", sentences.subList(1, sentences.size()));
        String lead;
        Matcher self = SELF_REFERENCE.matcher(first);
        if (self.find() && VERBS.contains(Prose.firstWord(first.substring(self.end())))) {
            lead = subject + " " + first.substring(self.end());
        } else if (VERBS.contains(Prose.firstWord(first))) {
            lead = subject + " " + Prose.lowerFirst(first);
        } else if (ARTICLES.contains(Prose.firstWord(first))) {
            lead = subject + " " + (counter ? Templates.COUNTER_VERB : Templates.PARAMETER_VERB) + " " + Prose.lowerFirst(first);
        } else if (counter) {
            lead = subject + " " + Templates.COUNTER_VERB + " the " + Prose.lowerFirst(first);
        } else {
            String article = isTypeLike(first) ? indefiniteArticle(first) : "the";
            lead = subject + " " + Templates.PARAMETER_VERB + " " + article + " " + Prose.lowerFirst(first);
        }
        return Prose.asSentence(lead) + (rest.isEmpty() ? "" : " " + Prose.asSentence(rest));
    }

    /** "false (disabled)" when the valid values explain the default, else the default as written. */
    static String defaultWithMeaning(String defaultValue, String validValues, String unit) {
        String value = Prose.value(defaultValue);
        if (value.isEmpty()) {
            return "";
        }
        String u = Prose.value(unit);
        String shown = !u.isEmpty() && NUMBER.matcher(value).matches() ? value + " " + u : value;
        if (value.contains("(")) {
            return shown;
        }
        return meaningOf(validValues, value).map(m -> shown + " (" + m + ")").orElse(shown);
    }

    /** Meaning of one value in lists like "false (disabled), true (enabled)" or "0 = off, 1 = on". */
    static Optional<String> meaningOf(String validValues, String value) {
        String vv = Prose.value(validValues);
        if (vv.isEmpty()) {
            return Optional.empty();
        }
        for (String entry : ENTRY_SEPARATOR.split(vv)) {
            Matcher m = PAREN_MEANING.matcher(entry.strip());
            if (!m.matches()) {
                m = EQUALS_MEANING.matcher(entry.strip());
            }
            if (m.matches() && m.group(1).strip().equalsIgnoreCase(value)) {
                return Optional.of(m.group(2).strip());
            }
        }
        return Optional.empty();
    }

    private static boolean isTypeLike(String phrase) {
        String[] w = phrase.toLowerCase(Locale.ROOT).split("\\s+");
        for (int i = 0; i < Math.min(3, w.length); i++) {
            if (TYPE_WORDS.contains(w[i].replaceAll("[^a-z]", ""))) {
                return true;
            }
        }
        return false;
    }

    private static String indefiniteArticle(String phrase) {
        return "aeiou".indexOf(Character.toLowerCase(phrase.charAt(0))) >= 0 ? "an" : "a";
    }
}
