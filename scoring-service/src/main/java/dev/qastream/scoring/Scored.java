package dev.qastream.scoring;

import dev.qastream.schemas.ScoredPair;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pair scored on its own merits, with what deduplication compares: the normalised question, the names it
 * uses, and one vector for question and answer together. Removals carry no signature.
 */
public record Scored(ScoredPair scored, String normalizedQuestion, Set<String> names, float[] vector) {
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern NAME = Pattern.compile(
            "\\b[A-Z][A-Za-z0-9]+\\.([a-z][A-Za-z0-9]+)\\b|\\b(pm[A-Z][A-Za-z0-9]*)\\b|\\b([a-z]{2,}[0-9]*[A-Z][A-Za-z0-9]*)\\b");

    public static Scored removal(ScoredPair scored) {
        return new Scored(scored, "", Set.of(), new float[0]);
    }

    public boolean isRemoval() {
        return scored == null || scored.getPair().getRemoved();
    }

    public boolean acceptedOnMerit() {
        return scored != null && scored.getAccepted();
    }

    /** "What is the Default value of X ?" and "what is the default value of x" are one question. */
    public static String normalizeQuestion(String q) {
        return NON_WORD.matcher(q.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
    }

    /** Parameter and counter names (without MO class) a text uses: pairs about different ones never duplicate. */
    public static Set<String> names(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            for (int g = 1; g <= 3; g++) {
                if (m.group(g) != null) {
                    out.add(m.group(g));
                }
            }
        }
        return out;
    }

    public static List<String> withoutDuplicateReason(List<String> reasons) {
        return reasons.stream().filter(r -> !r.startsWith(DUPLICATE_REASON)).toList();
    }

    public static final String DUPLICATE_REASON = "duplicate of ";
}
