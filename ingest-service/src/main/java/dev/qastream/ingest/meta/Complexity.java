package dev.qastream.ingest.meta;

/**
 * Complexity of a chunk in [0, 1]; it routes the chunk to a model tier (defaults: below 0.3 fast,
 * below 0.7 balanced, otherwise quality). A weighted sum of five saturating signals:
 *
 * <pre>
 *   complexity = 0.35 * min(1, technicalDensity / 25)        technical terms per 100 words
 *              + 0.25 * min(1, parameters / 4)               parsed parameters, or distinct tier-1 references if more
 *              + 0.15 * min(1, counters / 4)                 distinct pm counters
 *              + 0.15 * clamp((avgSentenceWords - 12) / 18)  long sentences: 12 words -> 0, 30 words -> 1
 *              + 0.10 * min(1, tokenEstimate / 800)          size
 * </pre>
 *
 * So a plain description section (a few terms, no parameters) stays under 0.3, a parameter section
 * with several fully described parameters lands well above 0.5, and one that also lists counters
 * and is dense with terms reaches the quality tier.
 */
public final class Complexity {

    static final double DENSITY_SATURATION = 25.0;
    static final double PARAMETER_SATURATION = 4.0;
    static final double COUNTER_SATURATION = 4.0;
    static final double SENTENCE_FLOOR = 12.0;
    static final double SENTENCE_SPAN = 18.0;
    static final double TOKEN_SATURATION = 800.0;

    private Complexity() {}

    public static double score(double technicalDensity, int parameterCount, int counterCount,
            double averageSentenceWords, int tokenEstimate) {
        double density = saturate(technicalDensity / DENSITY_SATURATION);
        double parameters = saturate(parameterCount / PARAMETER_SATURATION);
        double counters = saturate(counterCount / COUNTER_SATURATION);
        double sentences = saturate((averageSentenceWords - SENTENCE_FLOOR) / SENTENCE_SPAN);
        double size = saturate(tokenEstimate / TOKEN_SATURATION);
        double score = 0.35 * density + 0.25 * parameters + 0.15 * counters + 0.15 * sentences + 0.10 * size;
        return Math.round(saturate(score) * 10_000) / 10_000.0;
    }

    /**
     * Average words per sentence. Sentences end at {@code . ! ?} followed by white space, and at
     * line breaks (list entries and table rows are sentences of their own).
     */
    public static double averageSentenceWords(String text) {
        int sentences = 0;
        int words = 0;
        int wordsInSentence = 0;
        boolean inWord = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                if (!inWord) {
                    inWord = true;
                    wordsInSentence++;
                }
                continue;
            }
            inWord = false;
            boolean end = c == '\n'
                    || ((c == '.' || c == '!' || c == '?') && (i + 1 == n || Character.isWhitespace(text.charAt(i + 1))));
            if (end && wordsInSentence > 0) {
                sentences++;
                words += wordsInSentence;
                wordsInSentence = 0;
            }
        }
        if (wordsInSentence > 0) {
            sentences++;
            words += wordsInSentence;
        }
        return sentences == 0 ? 0.0 : (double) words / sentences;
    }

    private static double saturate(double x) {
        return x < 0 ? 0 : Math.min(1.0, x);
    }
}
