package dev.qastream.llm.extractive;

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
            "is", "has", "tells", "turns", "switches", "triggers", "affects", "governs", "denotes", "describes", "identifies",
            "stores", "decides", "reflects", "applies", "sums", "accumulates", "registers", "tracks", "refers", "overwrites",
            "overrides", "requires", "means", "lists", "names", "marks");
    // "can be used to ..." needs only the subject in front.
    private static final Set<String> MODALS = Set.of("can", "may", "must", "should", "will", "shall", "cannot");
    // "This is the number of ..." and "It is required by ..." say "{subject} is ...".
    private static final Pattern THIS_IS = Pattern.compile("^(?:this|it)\\s+(is|are)\\s+", Pattern.CASE_INSENSITIVE);
    // "OAI tries to lock ..." has a subject of its own: "For {subject}, OAI tries to lock ...".
    private static final Set<String> CLAUSE_VERBS = Set.of("tries", "uses", "needs", "wants", "has", "is", "are",
            "does", "will", "can", "may", "must", "should", "cannot");
    // "Whether bearers may use X" -> "{subject} determines whether ..."; "Used to ..." -> "{subject} is used to ...".
    private static final Set<String> CONDITIONS = Set.of("whether");
    // "If false, messages are discarded" is a sentence already; it only needs the parameter in front.
    private static final Set<String> SUBORDINATE = Set.of("if", "when", "while", "unless", "once", "in", "on", "for",
            "with", "without", "during", "after", "before", "per");
    // A description that only points elsewhere says nothing on its own.
    private static final Pattern POINTER = Pattern.compile("(?i)^(see|refer|cf|as per)\\b|^(the )?same as\\b");
    // Written in Default or Valid Values fields to mean "there is none".
    private static final Set<String> PLACEHOLDERS = Set.of("mandatory", "required", "none given", "no default", "n/a",
            "na", "not applicable", "not set", "tbd", "see description");
    // Option lists write what an option does as a command ("`thread_id`: add the thread ID"); said of the option,
    // the verb takes an s ("thread_id adds the thread ID"). Words that are as often nouns ("count", "limit",
    // "log") count as verbs only before a determiner ("limit the rate", not "limit for the rate").
    private static final Set<String> IMPERATIVES = Set.of("add", "enable", "disable", "allow", "specify", "define",
            "determine", "indicate", "configure", "activate", "deactivate", "select", "apply", "print", "include",
            "exclude", "ignore", "skip", "send", "write", "read", "force", "keep", "give", "provide", "identify",
            "decide", "contain", "hold", "describe", "affect", "prevent", "remove", "delete", "create", "generate",
            "compute", "calculate", "check", "allocate", "accumulate", "append", "prepend", "insert", "omit", "suppress");
    private static final Set<String> IMPERATIVES_BEFORE_DETERMINER = Set.of("set", "use", "limit", "count", "measure",
            "record", "log", "report", "output", "display", "show", "store", "track", "register", "turn", "switch",
            "trigger", "reset", "start", "stop", "run", "control", "map", "sort");
    static final Set<String> DETERMINERS = Set.of("the", "a", "an", "all", "each", "every", "its", "their",
            "this", "these", "that", "those", "any", "no", "one", "both");
    private static final Set<String> PARTICIPLES = Set.of("used", "applied", "set", "configured", "defined",
            "specified", "given", "expressed", "measured", "valid", "only", "stepped", "incremented", "required", "needed",
            "ignored", "enabled", "disabled", "optional");
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
        if (Prose.words(d) < 2 || POINTER.matcher(d).find()) {
            return "";
        }
        List<String> sentences = Prose.sentences(d);
        String first = Prose.value(sentences.get(0));
        String rest = String.join(" ", sentences.subList(1, sentences.size()));
        String lead;
        Matcher self = SELF_REFERENCE.matcher(first);
        Matcher thisIs = THIS_IS.matcher(first);
        String command = imperative(first);
        if (self.find() && VERBS.contains(Prose.firstWord(first.substring(self.end())))) {
            lead = subject + " " + first.substring(self.end());
        } else if (thisIs.find()) {
            lead = subject + " " + thisIs.group(1).toLowerCase(Locale.ROOT) + " " + first.substring(thisIs.end());
        } else if (MODALS.contains(Prose.firstWord(first))) {
            lead = subject + " " + Prose.lowerFirst(first);
        } else if (opensWithClause(first)) {
            lead = Templates.FOR_SUBJECT.formatted(subject, first);
        } else if (SUBORDINATE.contains(Prose.firstWord(first))) {
            lead = first.contains(",")
                    ? Templates.FOR_SUBJECT.formatted(subject, Prose.lowerFirst(first))
                    : subject + " " + Templates.APPLIES_VERB + " " + Prose.lowerFirst(first);
        } else if (CONDITIONS.contains(Prose.firstWord(first))) {
            lead = subject + " " + Templates.CONDITION_VERB + " " + Prose.lowerFirst(first);
        } else if (command != null) {
            lead = subject + " " + command;
        } else if (PARTICIPLES.contains(Prose.firstWord(first))) {
            lead = subject + " " + Templates.PARAMETER_VERB + " " + Prose.lowerFirst(first);
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

    /**
     * A phrase that opens with a command or its third person ("add the thread ID", "adds the line number"), said
     * of a subject: "adds the thread ID"; null when it does not open with one.
     */
    static String imperative(String phrase) {
        String[] words = phrase.strip().split("\\s+", 3);
        String first = Prose.firstWord(phrase);
        if (words.length < 2 || !words[0].toLowerCase(Locale.ROOT).equals(first)) {
            return null; // one word, or one that is not a plain lower-case word (a name, a value)
        }
        String base = IMPERATIVES.contains(first) || IMPERATIVES_BEFORE_DETERMINER.contains(first) ? first : baseOf(first);
        if (base == null) {
            return null;
        }
        // "limit the rate", "use RLC UM": an article or an acronym after it makes the word a verb.
        boolean beforeDeterminer = DETERMINERS.contains(Prose.firstWord(words[1]))
                || words[1].matches("[A-Z][A-Z0-9]+[,.;:]?");
        if (!IMPERATIVES.contains(base) && !(IMPERATIVES_BEFORE_DETERMINER.contains(base) && beforeDeterminer)) {
            return null;
        }
        String rest = phrase.strip().substring(words[0].length());
        return thirdPerson(base) + rest;
    }

    /** "OAI tries to lock ...": a capitalised word, then a verb. */
    private static boolean opensWithClause(String phrase) {
        String[] words = phrase.strip().split("\\s+", 3);
        if (words.length < 3 || !Character.isUpperCase(words[0].charAt(0)) || !words[0].chars().allMatch(Character::isLetterOrDigit)) {
            return false;
        }
        String verb = words[1];
        return CLAUSE_VERBS.contains(verb) || VERBS.contains(verb) || baseOf(verb) != null;
    }

    /** "adds" -> "add", "applies" -> "apply", "switches" -> "switch": the command whose third person it is, or null. */
    private static String baseOf(String word) {
        for (String candidate : List.of(word.replaceFirst("ies$", "y"), word.replaceFirst("es$", ""), word.replaceFirst("s$", ""))) {
            if (!candidate.equals(word) && (IMPERATIVES.contains(candidate) || IMPERATIVES_BEFORE_DETERMINER.contains(candidate))
                    && thirdPerson(candidate).equals(word)) {
                return candidate;
            }
        }
        return null;
    }

    /** "add" -> "adds", "apply" -> "applies", "switch" -> "switches". */
    static String thirdPerson(String verb) {
        if (verb.matches(".*(s|x|z|ch|sh|o)$")) {
            return verb + "es";
        }
        if (verb.matches(".*[^aeiou]y$")) {
            return verb.substring(0, verb.length() - 1) + "ies";
        }
        return verb + "s";
    }

    /** Whether a phrase opens with a verb, so that "{subject} " + phrase is a sentence. */
    static boolean startsWithVerb(String phrase) {
        String w = Prose.firstWord(phrase);
        return VERBS.contains(w) || PARTICIPLES.contains(w) || w.equals("was") || w.equals("are");
    }

    /** "false (disabled)" when the valid values explain the default, else the default as written. */
    static String defaultWithMeaning(String defaultValue, String validValues, String unit) {
        String value = field(defaultValue);
        // A long default without a digit is a misplaced description, not a value.
        if (value.isEmpty() || (Prose.words(value) > 10 && value.chars().noneMatch(Character::isDigit))) {
            return "";
        }
        String u = field(unit);
        String shown = !u.isEmpty() && NUMBER.matcher(value).matches() ? value + " " + u : value;
        if (value.contains("(")) {
            return shown;
        }
        return meaningOf(validValues, value).map(m -> shown + " (" + m + ")").orElse(shown);
    }

    /** A field value to state, or "" for placeholders such as "-", "N/A" or "Mandatory" that say there is none. */
    static String field(String raw) {
        String v = Prose.value(raw);
        boolean hasContent = v.chars().anyMatch(Character::isLetterOrDigit);
        return hasContent && !PLACEHOLDERS.contains(v.toLowerCase(Locale.ROOT)) ? v : "";
    }

    /** Meaning of one value in lists like "false (disabled), true (enabled)" or "0 = off, 1 = on". */
    static Optional<String> meaningOf(String validValues, String value) {
        String vv = Prose.value(validValues);
        if (vv.isEmpty()) {
            return Optional.empty();
        }
        for (String entry : ENTRY_SEPARATOR.split(vv)) {
            // "1 = on (low power)" is an equals entry whose meaning has parentheses, so try that style first.
            for (Pattern style : List.of(EQUALS_MEANING, PAREN_MEANING)) {
                Matcher m = style.matcher(entry.strip());
                if (m.matches() && m.group(1).strip().equalsIgnoreCase(value)) {
                    return Optional.of(m.group(2).strip());
                }
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
