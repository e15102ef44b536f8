package dev.qastream.ingest.meta;

/**
 * Estimates LLM tokens as {@code ceil(chars / 4)}: the usual rule of thumb for BPE tokenizers on
 * English technical prose. Character based (not word based) so that a chunk's estimate is exactly
 * bounded by its length, which lets the chunker guarantee {@code tokenEstimate <= maxTokens}.
 */
public final class TokenEstimator {

    public static final int CHARS_PER_TOKEN = 4;

    private TokenEstimator() {}

    public static int estimate(CharSequence text) {
        return (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }

    /** The most characters whose estimate stays within {@code tokens}. */
    public static int maxChars(int tokens) {
        return tokens * CHARS_PER_TOKEN;
    }
}
