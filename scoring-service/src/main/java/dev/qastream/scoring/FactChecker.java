package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Accuracy by fact check: what an answer states about a parameter (default value, range of valid values,
 * MO class, unit) compared with the chunk's parsed parameters, and numbers and units the answer gives that
 * the chunk never states. A contradiction names both sides in words a person understands:
 * "answer says default true; the document says false".
 *
 * <p>Claims are read per sentence; a sentence's subject is the parameter it names, else the one the question
 * names. What cannot be read is not held against the answer.
 */
public final class FactChecker {
    private static final String NUM = "-?\\d+(?:\\.\\d+)?";
    private static final String UNITS = "dBm|dB|ms|milliseconds?|seconds?|s|%|percent|Hz|kHz|MHz|GHz|km|m|meters?|metres?"
            + "|subframes?|radio frames?|frames?|slots?|symbols?|PRBs?|RBs?|bytes?|kB|kbps|Mbps|bits?|dBm/Hz|minutes?|min|hours?|h|W|mW";
    private static final String VALUE = "(" + NUM + "(?:\\s*(?:" + UNITS + ")\\b)?|[A-Za-z][\\w-]*)";
    private static final List<Pattern> DEFAULT_CLAIMS = List.of(
            Pattern.compile("(?i)\\bdefaults?(?:\\s+value)?(?:\\s+(?:of|for)\\s+(?:the\\s+)?(?:parameter\\s+)?[\\w.]+)?"
                    + "(?:\\s+setting)?\\s*(?:is|=|:|of)\\s+(?:set\\s+to\\s+|configured\\s+as\\s+)?" + VALUE),
            Pattern.compile("(?i)\\bdefaults?\\s+to\\s+" + VALUE),
            Pattern.compile("(?i)\\b(?:is|are|stays|remains)\\s+(?:set\\s+to\\s+)?" + VALUE + "\\s+by\\s+default\\b"),
            Pattern.compile("(?i)\\bby\\s+default,?\\s+(?:[\\w.]+\\s+){0,3}?(?:is|are)\\s+(?:set\\s+to\\s+)?" + VALUE),
            // "ships with false (disabled) as its default"
            Pattern.compile("(?i)\\b(?:with|has|uses|takes)\\s+" + VALUE + "(?:\\s*\\([^)]*\\))?\\s+as\\s+(?:its|the|a)\\s+default\\b"));
    private static final Set<String> NOT_VALUES = Set.of("a", "an", "the", "not", "set", "that", "this", "to", "used",
            "applied", "given", "configured", "defined", "specified", "it", "in", "of", "for", "parameter", "value");
    private static final Pattern RANGE_CLAIM = Pattern.compile("(?i)(?:\\bfrom|\\bbetween|\\branges?(?:\\s+(?:is|of))?|"
            + "\\bvalues?\\s+(?:are|is|of)|\\brange|\\b(?:are|is|accepts?|takes?)|:)\\s*\\[?\\s*(" + NUM + ")\\s*(?:" + unitAlt() + ")?\\s*"
            + "(?:to|and|–|\\.\\.|,|-)\\s*(" + NUM + ")");
    private static final Pattern DOC_RANGE = Pattern.compile("(" + NUM + ")\\s*(?:" + unitAlt() + ")?\\s*(?:to|–|\\.\\.|\\s-\\s|-)\\s*(" + NUM + ")"
            + "|\\[\\s*(" + NUM + ")\\s*,\\s*(" + NUM + ")\\s*]");
    private static final Pattern MO_CLAIM = Pattern.compile("(?:\\b(?i:mo\\s+class|managed\\s+object(?:\\s+class)?)\\s*(?:is|:)?\\s+"
            + "(?:the\\s+)?([A-Z][A-Za-z0-9]+))|(?:\\b([A-Z][A-Za-z0-9]+)\\s+(?i:mo|managed\\s+object)\\b)");
    private static final Pattern NUMBER_WITH_UNIT = Pattern.compile("(?<![\\w.])(" + NUM + ")(?:\\s*(" + UNITS + "))?(?![\\w])");
    private static final Pattern ANY_NUMBER_TOKEN = Pattern.compile("(?<![\\w.])" + NUM + "(?:[A-Za-z%]+)?(?![\\w])");
    private static final Pattern CHUNK_NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final Pattern UNIT_CLAIM = Pattern.compile("(?i)\\bunit\\s*(?:is|:)\\s*(?:in\\s+)?(" + UNITS + ")\\b");
    private static final Pattern SENTENCE = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z])");
    private static final Set<String> FALSE = Set.of("false", "disabled", "off", "0", "deactivated", "no", "disable", "inactive");
    private static final Set<String> TRUE = Set.of("true", "enabled", "on", "1", "activated", "yes", "enable", "active");

    private static String unitAlt() {
        return UNITS;
    }

    public FactCheck check(String question, String answer, Chunk chunk, Catalogue catalogue) {
        List<ParameterFact> facts = ParameterFact.of(chunk).stream().filter(f -> isParameter(f)).toList();
        List<String> contradictions = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        int verified = 0;
        Set<String> confirmed = new TreeSet<>();
        Map<String, String> contradicted = new java.util.TreeMap<>();

        List<ParameterFact> asked = named(question, facts);
        List<ParameterFact> told = named(answer, facts);
        if (!asked.isEmpty() && !told.isEmpty() && told.stream().noneMatch(t -> sameName(asked, t))) {
            contradictions.add("answer is about " + names(told) + ", but the question asks about " + names(asked));
        }
        for (String sentence : SENTENCE.split(answer)) {
            List<ParameterFact> subjects = named(sentence, facts);
            if (subjects.isEmpty()) {
                subjects = asked;
            }
            if (subjects.isEmpty()) {
                continue;
            }
            Findings found = new Findings(contradictions, confirmed, contradicted);
            verified += checkDefault(sentence, subjects, found);
            verified += checkRange(sentence, subjects, found);
            verified += checkMoClass(sentence, subjects, found);
            verified += checkUnit(sentence, subjects, found);
        }
        String text = chunk.getText() == null ? "" : chunk.getText();
        unsupportedNumbers(answer, question + "\n" + text, reasons);

        Set<ParameterFact> mentioned = new LinkedHashSet<>(asked);
        mentioned.addAll(told);
        for (ParameterFact f : mentioned) {
            crossDocument(f, catalogue, flags, conflicts);
        }
        List<String> all = new ArrayList<>(contradictions);
        all.addAll(reasons);
        double accuracy = !all.isEmpty() ? 0 : verified > 0 ? 1.0 : 0.9;
        return new FactCheck(accuracy, contradictions, all, flags, conflicts, confirmed, contradicted);
    }

    /** What the checks found, per fact: the reasons in words, and what|MoClass.name confirmed or contradicted. */
    private record Findings(List<String> out, Set<String> confirmed, Map<String, String> contradicted) {
        void confirm(String what, ParameterFact f) {
            confirmed.add(what + "|" + f.qualified());
        }

        void contradict(String what, ParameterFact f, String claimed) {
            contradicted.putIfAbsent(what + "|" + f.qualified(), claimed);
        }

        void add(String reason) {
            out.add(reason);
        }
    }

    private static boolean isParameter(ParameterFact f) {
        return f.moClass() != null || f.defaultValue() != null || f.validValues() != null || f.unit() != null;
    }

    // --- default value -------------------------------------------------------------------------------------

    private static int checkDefault(String sentence, List<ParameterFact> subjects, Findings out) {
        for (Pattern p : DEFAULT_CLAIMS) {
            Matcher m = p.matcher(sentence);
            while (m.find()) {
                String claimed = m.group(1).strip();
                if (NOT_VALUES.contains(claimed.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                List<ParameterFact> withDefault = subjects.stream().filter(f -> f.defaultValue() != null).toList();
                if (withDefault.isEmpty()) {
                    return 0;
                }
                Optional<Boolean> agrees = Optional.empty();
                for (ParameterFact f : withDefault) {
                    Optional<Boolean> a = defaultAgrees(claimed, f);
                    if (a.isPresent() && a.get()) {
                        out.confirm("default", f);
                        return 1;
                    }
                    if (a.isPresent()) {
                        agrees = a;
                    }
                }
                if (agrees.isPresent()) {
                    ParameterFact f = withDefault.get(0);
                    out.add("answer says default " + claimed + "; the document says " + f.defaultValue()
                            + " (" + f.qualified() + ")");
                    out.contradict("default", f, claimed);
                    return 0;
                }
                return 0;
            }
        }
        return 0;
    }

    /** Whether a claimed default agrees with the document; empty when the claim cannot be compared. */
    static Optional<Boolean> defaultAgrees(String claimed, ParameterFact f) {
        String c = claimed.toLowerCase(Locale.ROOT).replaceAll("[.,;]+$", "").strip();
        String doc = f.defaultValue().toLowerCase(Locale.ROOT).strip();
        Double claimedNumber = leadingNumber(c);
        Double docNumber = leadingNumber(doc);
        if (claimedNumber != null && docNumber != null) {
            return Optional.of(claimedNumber.doubleValue() == docNumber.doubleValue());
        }
        Set<String> accepted = new HashSet<>();
        for (String token : doc.split("[\\s()]+")) {
            if (!token.isBlank()) {
                accepted.add(token.replaceAll("[.,;]+$", ""));
            }
        }
        Phrasings.meaningOf(f.validValues(), firstToken(doc)).ifPresent(m -> accepted.add(m.toLowerCase(Locale.ROOT)));
        String claimedWord = firstToken(c);
        if (accepted.contains(c) || accepted.contains(claimedWord)) {
            return Optional.of(true);
        }
        boolean docFalse = accepted.stream().anyMatch(FALSE::contains);
        boolean docTrue = accepted.stream().anyMatch(TRUE::contains);
        if ((docFalse || docTrue) && (FALSE.contains(claimedWord) || TRUE.contains(claimedWord))) {
            return Optional.of(docFalse ? FALSE.contains(claimedWord) : TRUE.contains(claimedWord));
        }
        // A word the document lists among the valid values, or a number against a word default: a different value.
        if (claimedNumber != null || valueWords(f.validValues()).contains(claimedWord)) {
            return Optional.of(false);
        }
        return Optional.empty();
    }

    // --- range of valid values -----------------------------------------------------------------------------

    private static int checkRange(String sentence, List<ParameterFact> subjects, Findings out) {
        Matcher m = RANGE_CLAIM.matcher(sentence);
        if (!m.find()) {
            return 0;
        }
        double lo = Double.parseDouble(m.group(1));
        double hi = Double.parseDouble(m.group(2));
        ParameterFact compared = null;
        for (ParameterFact f : subjects) {
            double[] range = documentRange(f.validValues());
            if (range == null) {
                continue;
            }
            if (range[0] == lo && range[1] == hi) {
                out.confirm("values", f);
                return 1;
            }
            compared = f;
        }
        if (compared != null) {
            out.add("answer says range " + fmt(lo) + " to " + fmt(hi) + "; the document says " + compared.validValues()
                    + " (" + compared.qualified() + ")");
            out.contradict("values", compared, fmt(lo) + " to " + fmt(hi));
        }
        return 0;
    }

    public static double[] documentRange(String validValues) {
        if (validValues == null) {
            return null;
        }
        Matcher m = DOC_RANGE.matcher(validValues);
        if (!m.find()) {
            return null;
        }
        String lo = m.group(1) != null ? m.group(1) : m.group(3);
        String hi = m.group(2) != null ? m.group(2) : m.group(4);
        return new double[] {Double.parseDouble(lo), Double.parseDouble(hi)};
    }

    // --- MO class ------------------------------------------------------------------------------------------

    private static int checkMoClass(String sentence, List<ParameterFact> subjects, Findings out) {
        Set<String> documented = new TreeSet<>();
        subjects.stream().map(ParameterFact::moClass).filter(Objects::nonNull).forEach(documented::add);
        if (documented.isEmpty()) {
            return 0;
        }
        Set<String> claimed = new LinkedHashSet<>();
        Matcher m = MO_CLAIM.matcher(sentence);
        while (m.find()) {
            claimed.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        for (ParameterFact f : subjects) {
            Matcher q = Pattern.compile("\\b([A-Z][A-Za-z0-9]+)\\." + Pattern.quote(f.name()) + "\\b").matcher(sentence);
            while (q.find()) {
                claimed.add(q.group(1));
            }
        }
        claimed.removeIf(c -> c.equals("The") || c.equals("This") || c.equals("Its"));
        int verified = 0;
        for (String c : claimed) {
            if (documented.contains(c)) {
                verified = 1;
                subjects.stream().filter(f -> c.equals(f.moClass())).forEach(f -> out.confirm("mo-class", f));
            } else {
                out.add("answer says MO class " + c + "; the document says " + String.join(" or ", documented)
                        + " (" + names(subjects) + ")");
                subjects.stream().filter(f -> f.moClass() != null).forEach(f -> out.contradict("mo-class", f, c));
                return 0;
            }
        }
        return verified;
    }

    // --- units ---------------------------------------------------------------------------------------------

    private static int checkUnit(String sentence, List<ParameterFact> subjects, Findings out) {
        Set<String> documented = new TreeSet<>();
        subjects.stream().map(ParameterFact::unit).filter(Objects::nonNull).map(FactChecker::unit).forEach(documented::add);
        if (documented.isEmpty()) {
            return 0;
        }
        Set<String> claimed = new LinkedHashSet<>();
        Matcher m = NUMBER_WITH_UNIT.matcher(sentence);
        while (m.find()) {
            if (m.group(2) != null) {
                claimed.add(m.group(2));
            }
        }
        Matcher u = UNIT_CLAIM.matcher(sentence);
        while (u.find()) {
            claimed.add(u.group(1));
        }
        int verified = 0;
        for (String c : claimed) {
            if (documented.contains(unit(c))) {
                verified = 1;
                subjects.stream().filter(f -> f.unit() != null && unit(f.unit()).equals(unit(c)))
                        .forEach(f -> out.confirm("unit", f));
            } else {
                out.add("answer says unit " + c + "; the document says " + String.join(" or ", documented)
                        + " (" + names(subjects) + ")");
                subjects.stream().filter(f -> f.unit() != null).forEach(f -> out.contradict("unit", f, c));
                return 0;
            }
        }
        return verified;
    }

    static String unit(String u) {
        String s = u.strip();
        String l = s.toLowerCase(Locale.ROOT);
        return switch (l) {
            case "milliseconds", "millisecond", "ms" -> "ms";
            case "seconds", "second", "s" -> "s";
            case "percent", "%" -> "%";
            case "meters", "meter", "metres", "metre", "m" -> "m";
            case "minutes", "minute", "min" -> "min";
            case "subframes", "subframe" -> "subframe";
            case "radio frames", "radio frame", "frames", "frame" -> "frame";
            case "prbs", "prb" -> "prb";
            case "rbs", "rb" -> "rb";
            case "bytes", "byte" -> "byte";
            case "bits", "bit" -> "bit";
            case "slots", "slot" -> "slot";
            case "symbols", "symbol" -> "symbol";
            // dB and dBm differ only in case-insensitive spelling of the 'm'; keep them apart.
            default -> l.equals("dbm") ? "dBm" : l.equals("db") ? "dB" : l;
        };
    }

    // --- numbers the document never states -----------------------------------------------------------------

    private static void unsupportedNumbers(String answer, String source, List<String> out) {
        Set<String> known = new HashSet<>();
        Matcher c = CHUNK_NUMBER.matcher(source);
        while (c.find()) {
            known.add(canonical(c.group()));
        }
        String lowerSource = source.toLowerCase(Locale.ROOT);
        Matcher m = ANY_NUMBER_TOKEN.matcher(answer);
        Set<String> reported = new HashSet<>();
        while (m.find()) {
            Matcher nu = NUMBER_WITH_UNIT.matcher(m.group());
            String token = m.group();
            String digits = token.replaceAll("[A-Za-z%]+$", "");
            String suffix = token.substring(digits.length());
            if (!suffix.isEmpty() && !suffix.matches(UNITS)) {
                continue; // 5G, 3GPP, 2x: names, not quantities
            }
            String number = canonical(digits.replace("-", ""));
            if (!known.contains(number) && reported.add(number)) {
                out.add("answer states " + token + ", a number the document does not give");
            }
        }
        Matcher units = NUMBER_WITH_UNIT.matcher(answer);
        while (units.find()) {
            String u = units.group(2);
            if (u != null && !containsUnit(lowerSource, u) && reported.add("unit:" + u)) {
                out.add("answer gives a value in " + u + ", a unit the document does not use");
            }
        }
    }

    private static boolean containsUnit(String lowerSource, String unit) {
        String u = unit(unit).toLowerCase(Locale.ROOT);
        return Pattern.compile("(?<![a-z])" + Pattern.quote(u) + "s?(?![a-z])").matcher(lowerSource).find()
                || Pattern.compile("(?<![a-z])" + Pattern.quote(unit.toLowerCase(Locale.ROOT)) + "(?![a-z])").matcher(lowerSource).find();
    }

    private static String canonical(String number) {
        try {
            return new java.math.BigDecimal(number).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return number;
        }
    }

    // --- other documents -----------------------------------------------------------------------------------

    private static void crossDocument(ParameterFact f, Catalogue catalogue, List<String> flags, List<String> conflicts) {
        for (ParameterFact other : catalogue.facts(f.name())) {
            if (other.documentId() == null || other.documentId().equals(f.documentId()) || !isParameter(other)) {
                continue;
            }
            String a = f.documentId();
            String b = other.documentId();
            if (f.moClass() != null && other.moClass() != null && !moFamily(f.moClass()).equals(moFamily(other.moClass()))) {
                conflict(flags, conflicts, f.name(), "MO class", f.moClass(), a, other.moClass(), b);
                continue;
            }
            if (f.defaultValue() != null && other.defaultValue() != null
                    && !firstToken(f.defaultValue().toLowerCase(Locale.ROOT)).equals(firstToken(other.defaultValue().toLowerCase(Locale.ROOT)))) {
                conflict(flags, conflicts, f.qualified(), "default", f.defaultValue(), a, other.defaultValue(), b);
            }
            double[] r1 = documentRange(f.validValues());
            double[] r2 = documentRange(other.validValues());
            if (r1 != null && r2 != null && (r1[0] != r2[0] || r1[1] != r2[1])) {
                conflict(flags, conflicts, f.qualified(), "range", f.validValues(), a, other.validValues(), b);
            }
        }
    }

    private static void conflict(List<String> flags, List<String> keys, String name, String what, String v1, String d1,
                                 String v2, String d2) {
        String flag = "conflict: " + name + " " + what + " is " + v1 + " in " + d1 + " but " + v2 + " in " + d2;
        if (!flags.contains(flag)) {
            flags.add(flag);
            keys.add(name + "|" + what + "|" + (d1.compareTo(d2) < 0 ? d1 + "|" + d2 : d2 + "|" + d1));
        }
    }

    /** EUtranCellFDD and EUtranCellTDD hold the same parameters for the two duplex modes. */
    private static String moFamily(String mo) {
        return mo.replaceAll("(FDD|TDD)$", "");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** Parameters of the chunk that the text names, qualified or bare. */
    static List<ParameterFact> named(String text, List<ParameterFact> facts) {
        List<ParameterFact> out = new ArrayList<>();
        for (ParameterFact f : facts) {
            if (WordPatterns.of(f.name(), true).matcher(text).find()) {
                out.add(f);
            }
        }
        return out;
    }

    private static boolean sameName(List<ParameterFact> asked, ParameterFact t) {
        return asked.stream().anyMatch(a -> a.name().equals(t.name()));
    }

    private static String names(List<ParameterFact> facts) {
        return String.join(", ", facts.stream().map(ParameterFact::qualified).distinct().toList());
    }

    private static Double leadingNumber(String s) {
        Matcher m = Pattern.compile("^\\s*(" + NUM + ")").matcher(s);
        return m.find() ? Double.parseDouble(m.group(1)) : null;
    }

    private static String firstToken(String s) {
        String[] t = s.strip().split("[\\s()]+");
        return t.length == 0 ? "" : t[0].replaceAll("[.,;:]+$", "");
    }

    private static Set<String> valueWords(String validValues) {
        Set<String> out = new HashSet<>();
        if (validValues != null) {
            for (String t : validValues.toLowerCase(Locale.ROOT).split("[^\\w-]+")) {
                if (!t.isBlank() && !t.matches(NUM)) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** "false (disabled), true (enabled)": the meaning the valid values give one value. */
    static final class Phrasings {
        private static final Pattern ENTRY = Pattern.compile("\\s*(?:[,;]|\\bor\\b)\\s*(?![^()]*\\))");
        private static final Pattern PAREN = Pattern.compile("^(.+?)\\s*\\((.+)\\)$");
        private static final Pattern EQUALS = Pattern.compile("^(\\S+)\\s*[=:]\\s*(.+)$");

        static Optional<String> meaningOf(String validValues, String value) {
            if (validValues == null) {
                return Optional.empty();
            }
            for (String entry : ENTRY.split(validValues)) {
                for (Pattern style : List.of(EQUALS, PAREN)) {
                    Matcher m = style.matcher(entry.strip());
                    if (m.matches() && m.group(1).strip().equalsIgnoreCase(value)) {
                        return Optional.of(m.group(2).strip());
                    }
                }
            }
            return Optional.empty();
        }

        private Phrasings() {
        }
    }

    static Map<String, Set<String>> booleans() {
        return Map.of("false", FALSE, "true", TRUE);
    }
}
