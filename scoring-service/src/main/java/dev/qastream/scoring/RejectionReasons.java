package dev.qastream.scoring;

import dev.qastream.schemas.ScoredPair;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A rejected pair's main reason as one of a few fixed categories, for the
 * {@code qastream.scoring.rejections{reason}} metric: free-text reasons name parameters and values, which
 * would make one time series per pair.
 */
public final class RejectionReasons {
    // First match wins: the most specific and most serious causes first.
    private static final Map<String, String> CATEGORIES = new LinkedHashMap<>();

    static {
        CATEGORIES.put("instruction", "instruction-text");
        CATEGORIES.put("system prompt", "instruction-text");
        CATEGORIES.put("older version", "stale-chunk");
        CATEGORIES.put("no longer exists", "stale-chunk");
        CATEGORIES.put("document says", "fact-contradiction");
        CATEGORIES.put("answer says", "fact-contradiction");
        CATEGORIES.put("does not give", "unsupported-value");
        CATEGORIES.put("does not use", "unsupported-value");
        CATEGORIES.put("unknown parameter", "invented-name");
        CATEGORIES.put("unknown counter", "invented-name");
        CATEGORIES.put("but the question asks about", "wrong-subject");
        CATEGORIES.put("something else than the question", "wrong-subject");
        CATEGORIES.put("off the corpus domain", "off-topic");
        CATEGORIES.put("not about", "off-topic");
        CATEGORIES.put("relevance", "off-topic");
        CATEGORIES.put("coherence", "incoherent");
        CATEGORIES.put("below the threshold", "low-score");
    }

    private RejectionReasons() {
    }

    public static String category(ScoredPair s) {
        if (s.getDuplicateOf() != null) {
            return "duplicate";
        }
        for (String reason : s.getReasons()) {
            String r = reason.toLowerCase(Locale.ROOT);
            for (Map.Entry<String, String> c : CATEGORIES.entrySet()) {
                if (r.contains(c.getKey())) {
                    return c.getValue();
                }
            }
        }
        return "other";
    }
}
