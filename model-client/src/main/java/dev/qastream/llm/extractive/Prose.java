package dev.qastream.llm.extractive;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Plain-text helpers for the extractive generator: markdown cleanup, sentence splitting, phrasing. */
final class Prose {
    private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*]\\([^)]*\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)]\\([^)]*\\)");
    private static final Pattern HTML_TAG = Pattern.compile("</?[a-zA-Z][^>]*>");
    // Single-star/underscore emphasis, but not snake_case or a*b arithmetic.
    private static final Pattern STAR_EMPHASIS = Pattern.compile("(?<![\\w*])\\*(\\S[^*]*?)\\*(?![\\w*])");
    private static final Pattern UNDERSCORE_EMPHASIS = Pattern.compile("(?<!\\w)_(\\S[^_]*?)_(?!\\w)");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern LIST_MARKER = Pattern.compile("^(?:[-*+]|\\d+[.)])\\s+");
    // Words whose trailing dot does not end a sentence.
    private static final Set<String> ABBREVIATIONS = Set.of("e.g", "i.e", "etc", "vs", "approx", "fig", "no", "cf", "incl", "max", "min", "ref");

    private Prose() {
    }

    /** Inline markdown and HTML removed, whitespace collapsed; null becomes "". */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        String t = IMAGE.matcher(s).replaceAll("");
        t = LINK.matcher(t).replaceAll("$1");
        t = HTML_TAG.matcher(t).replaceAll("");
        t = t.replace("**", "").replace("__", "").replace("`", "");
        t = STAR_EMPHASIS.matcher(t).replaceAll("$1");
        t = UNDERSCORE_EMPHASIS.matcher(t).replaceAll("$1");
        return SPACES.matcher(t).replaceAll(" ").strip();
    }

    static String stripListMarker(String line) {
        return LIST_MARKER.matcher(line.strip()).replaceFirst("");
    }

    /** A value to embed mid-sentence: cleaned, without a closing period. */
    static String value(String s) {
        String t = clean(s);
        while (t.endsWith(".") || t.endsWith(";") || t.endsWith(",")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        return t;
    }

    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean terminal = c == '.' || c == '!' || c == '?';
            boolean boundary = i + 1 == text.length()
                    || (Character.isWhitespace(text.charAt(i + 1)) && startsSentence(text, i + 1));
            if (terminal && boundary && !(c == '.' && endsWithAbbreviation(text, start, i))) {
                addSentence(out, text.substring(start, i + 1));
                start = i + 1;
            }
        }
        addSentence(out, text.substring(start));
        return out;
    }

    private static boolean startsSentence(String text, int from) {
        int j = from;
        while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
            j++;
        }
        if (j == text.length()) {
            return false;
        }
        char c = text.charAt(j);
        return Character.isUpperCase(c) || Character.isDigit(c) || c == '"' || c == '(' || startsWithIdentifier(text, j);
    }

    /** "pmDrxWakeups counts ..." or "eNodeB ...": a lower-case identifier with an inner capital can open a sentence. */
    private static boolean startsWithIdentifier(String text, int from) {
        int end = from;
        while (end < text.length() && Character.isLetterOrDigit(text.charAt(end))) {
            end++;
        }
        return text.substring(from, end).chars().skip(1).anyMatch(Character::isUpperCase);
    }

    private static boolean endsWithAbbreviation(String text, int start, int dot) {
        int j = dot;
        while (j > start && !Character.isWhitespace(text.charAt(j - 1))) {
            j--;
        }
        String word = text.substring(j, dot).toLowerCase(Locale.ROOT).replaceAll("^[(\"]+", "");
        // A lone capital ("J. Smith") is an initial, not a sentence end.
        return ABBREVIATIONS.contains(word) || word.matches("[a-z]");
    }

    private static void addSentence(List<String> out, String s) {
        String t = s.strip();
        if (!t.isEmpty()) {
            out.add(t);
        }
    }

    static int words(String s) {
        String t = s.strip();
        return t.isEmpty() ? 0 : SPACES.split(t).length;
    }

    /** Lower-cases the first letter unless the first word is an acronym or identifier (TTI, eNodeB, UE). */
    static String lowerFirst(String s) {
        if (s.isEmpty()) {
            return s;
        }
        String first = s.split("[\\s,;:]", 2)[0];
        boolean plainWord = first.length() == 1 || first.substring(1).chars().noneMatch(Character::isUpperCase);
        return plainWord && Character.isUpperCase(first.charAt(0)) && first.chars().allMatch(Character::isLetter)
                ? Character.toLowerCase(s.charAt(0)) + s.substring(1)
                : s;
    }

    static String upperFirst(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Ensures one closing punctuation mark, turning a trailing ':' or ';' into '.'. */
    static String asSentence(String s) {
        String t = s.strip();
        while (t.endsWith(":") || t.endsWith(";") || t.endsWith(",")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        if (t.isEmpty()) {
            return t;
        }
        return t.endsWith(".") || t.endsWith("!") || t.endsWith("?") ? t : t + ".";
    }

    static String firstWord(String s) {
        return s.strip().split("\\s+", 2)[0].toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    }

    /** "a", "a and b", "a, b and c". */
    static String join(List<String> items) {
        if (items.size() <= 1) {
            return items.isEmpty() ? "" : items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
