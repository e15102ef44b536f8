package dev.qastream.scoring.coverage;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.Fact;
import dev.qastream.scoring.FactCheck;
import dev.qastream.scoring.FactChecker;
import dev.qastream.scoring.WordPatterns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which facts of a chunk (and of its document's header) one pair covers. A value fact is confirmed when the fact
 * check confirms the value the answer states (default, valid range, unit, MO class), or, for what the fact check
 * does not read (a list of valid values, the feature state, the product numbers), when the answer states every
 * part of the value about the subject. A descriptive fact is covered when the pair names its subject and is
 * relevant to its chunk. What the fact check contradicts is kept per fact: "answered wrongly", with the value the
 * answer gave.
 *
 * @param confirmed      fact ids whose value the answer states (value facts) or whose subject it names (descriptive)
 * @param valueConfirmed whether at least one value fact is confirmed
 * @param contradicted   fact id to the value the answer gave instead
 */
public record FactConfirmation(Set<String> confirmed, boolean valueConfirmed, Map<String, String> contradicted) {
    /** Relevance at or above which a pair is about its chunk (the semantic scorer's own line). */
    public static final double RELEVANT = 0.5;
    private static final Pattern STATE_WORDS = Pattern.compile("(?i)\\b(state|status)\\b");
    private static final Pattern ENTRY = Pattern.compile("\\s*(?:[,;|/]|\\bor\\b)\\s*(?![^()]*\\))");

    public FactConfirmation {
        confirmed = java.util.Collections.unmodifiableSet(new TreeSet<>(confirmed));
        contradicted = java.util.Collections.unmodifiableMap(new TreeMap<>(contradicted));
    }

    /** Checks the pair with the fact checker first (no other documents): what coverage does with a scored pair. */
    public static FactConfirmation of(String question, String answer, Chunk chunk, Double relevance) {
        FactCheck check = new FactChecker().check(question, answer, chunk, dev.qastream.scoring.Catalogue.EMPTY);
        return of(question, answer, chunk, check, relevance);
    }

    /**
     * @param relevance the pair's relevance to its chunk, or null when not scored (then a pair that names a subject
     *                  covers its descriptive fact)
     */
    public static FactConfirmation of(String question, String answer, Chunk chunk, FactCheck check, Double relevance) {
        List<Fact> facts = new ArrayList<>(FactInventory.of(chunk));
        if (chunk.getOrdinal() != 0) { // the header's facts, told by every chunk's document info
            facts.addAll(FactInventory.documentFacts(chunk.getDocumentId(), chunk.getDocument()));
        }
        String both = question + "\n" + answer;
        boolean relevant = relevance == null || relevance >= RELEVANT;
        Set<String> confirmed = new TreeSet<>();
        Map<String, String> contradicted = new TreeMap<>();
        boolean value = false;
        for (Fact f : facts) {
            String checkKey = checkKey(f);
            if (checkKey != null && check.contradicted().containsKey(checkKey)) {
                contradicted.put(f.getFactId(), check.contradicted().get(checkKey));
                continue;
            }
            boolean ok = switch (f.getKind()) {
                case FactInventory.PARAMETER_DEFAULT, FactInventory.CONFIG_DEFAULT, FactInventory.PARAMETER_UNIT,
                     FactInventory.CONFIG_UNIT, FactInventory.PARAMETER_MO_CLASS -> check.confirmed().contains(checkKey);
                case FactInventory.PARAMETER_VALUES, FactInventory.CONFIG_VALUES -> check.confirmed().contains(checkKey)
                        || (FactChecker.documentRange(f.getValue()) == null && names(both, bare(f.getSubject()), true)
                        && statesEvery(answer, entries(f.getValue())));
                case FactInventory.FEATURE_STATE -> STATE_WORDS.matcher(both).find() && names(answer, f.getValue(), false);
                case FactInventory.FEATURE_PRODUCTS -> statesEvery(answer, List.of(f.getValue().split("\\s*,\\s*")));
                case FactInventory.FEATURE_PURPOSE -> relevant && names(both, f.getSubject(), false);
                case FactInventory.COUNTER_PURPOSE -> relevant && names(both, f.getSubject(), true);
                default -> relevant && names(both, bare(f.getSubject()), true); // parameter or config purpose
            };
            if (ok) {
                confirmed.add(f.getFactId());
                value |= FactInventory.isValueFact(f);
            }
        }
        return new FactConfirmation(confirmed, value, contradicted);
    }

    /** The fact checker's key for a value fact it reads: what|MoClass.name. */
    private static String checkKey(Fact f) {
        String what = switch (f.getKind()) {
            case FactInventory.PARAMETER_DEFAULT, FactInventory.CONFIG_DEFAULT -> "default";
            case FactInventory.PARAMETER_VALUES, FactInventory.CONFIG_VALUES -> "values";
            case FactInventory.PARAMETER_UNIT, FactInventory.CONFIG_UNIT -> "unit";
            case FactInventory.PARAMETER_MO_CLASS -> "mo-class";
            default -> null;
        };
        return what == null ? null : what + "|" + f.getSubject();
    }

    /** "false (disabled), true (enabled)": each entry's value and its meaning; either stated counts. */
    static List<List<String>> entries(String validValues) {
        List<List<String>> out = new ArrayList<>();
        for (String entry : ENTRY.split(validValues.strip())) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int paren = e.indexOf('(');
            if (paren > 0 && e.endsWith(")")) {
                out.add(List.of(e.substring(0, paren).strip(), e.substring(paren + 1, e.length() - 1).strip()));
            } else {
                out.add(List.of(e));
            }
        }
        return out;
    }

    private static boolean statesEvery(String answer, List<?> parts) {
        if (parts.isEmpty()) {
            return false;
        }
        for (Object part : parts) {
            List<?> ways = part instanceof List<?> l ? l : List.of(part);
            if (ways.stream().noneMatch(w -> names(answer, w.toString(), false))) {
                return false;
            }
        }
        return true;
    }

    private static boolean names(String text, String word, boolean caseSensitive) {
        if (word == null || word.isBlank()) {
            return false;
        }
        return WordPatterns.of(word.strip(), caseSensitive).matcher(text).find();
    }

    private static String bare(String subject) {
        return subject.substring(subject.lastIndexOf('.') + 1);
    }
}
