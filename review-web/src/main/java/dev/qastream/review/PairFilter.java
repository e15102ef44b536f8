package dev.qastream.review;

import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What the list shows: every criterion is optional (null or blank: any).
 *
 * @param documentGlob document ids matching a glob ({@code *} any run, {@code ?} one character)
 * @param verdict      the scorer's verdict: "accepted" or "rejected"
 * @param reason       a piece of one of the scorer's reasons
 * @param borderline   only pairs whose score is within {@link ReviewStore#BORDERLINE_BAND} of the accept threshold
 * @param review       "not-reviewed", "reviewed" or "changed" (a decision no longer matching the pair)
 * @param text         words the question or answer contain
 */
public record PairFilter(String documentGlob, String tier, String model, String promptVersion, String verdict,
                         String reason, Double minScore, Double maxScore, boolean borderline, String review,
                         String text) {

    public static final PairFilter ALL = new PairFilter(null, null, null, null, null, null, null, null, false, null, null);

    /** From a request's query parameters (the list form's field names). */
    public static PairFilter from(Map<String, String> q) {
        return new PairFilter(q.get("doc"), q.get("tier"), q.get("model"), q.get("prompt"), q.get("verdict"),
                q.get("reason"), number(q.get("min")), number(q.get("max")), "on".equals(q.get("borderline"))
                || "true".equals(q.get("borderline")), q.get("review"), q.get("q"));
    }

    public PairFilter withDocument(String glob) {
        return new PairFilter(glob, tier, model, promptVersion, verdict, reason, minScore, maxScore, borderline, review, text);
    }

    public PairFilter withBorderline() {
        return new PairFilter(documentGlob, tier, model, promptVersion, verdict, reason, minScore, maxScore, true, review, text);
    }

    public PairFilter withReview(String status) {
        return new PairFilter(documentGlob, tier, model, promptVersion, verdict, reason, minScore, maxScore, borderline, status, text);
    }

    private static Double number(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The glob as a SQL LIKE pattern with {@code \} as escape character. */
    static String globToLike(String glob) {
        StringBuilder like = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> like.append('%');
                case '?' -> like.append('_');
                case '%', '_', '\\' -> like.append('\\').append(c);
                default -> like.append(c);
            }
        }
        return like.toString();
    }

    /** The same glob as a test on a document id, for what is not in the database (coverage). */
    static Predicate<String> globMatcher(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).asMatchPredicate();
    }

    static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
