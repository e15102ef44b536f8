package dev.qastream.review;

import java.util.List;

/**
 * A person's decision on a pair as the workbench holds it, with where it sits on review.decisions:
 * the later record (higher offset) wins. {@code verdict} null: withdrawn (undo).
 */
public record Decision(String pairKey, String verdict, long revision, String fingerprint, String editedQuestion,
                       String editedAnswer, String reason, String reviewer, long decidedAtMs, Double editedScore,
                       List<String> editedReasons, long offset) {

    public boolean withdrawn() {
        return verdict == null;
    }

    /** Whether it still covers the pair as it is now (same revision and same generated text). */
    public boolean covers(long pairRevision, String pairFingerprint) {
        return revision == pairRevision && fingerprint.equals(pairFingerprint);
    }
}
