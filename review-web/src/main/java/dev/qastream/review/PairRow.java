package dev.qastream.review;

import java.util.List;

/** One pair as the list and the detail show it, with its current decision (null when none). */
public record PairRow(String pairKey, String chunkId, String documentId, int slot, String question, String answer,
                      String tier, String model, String promptVersion, String questionType, long revision,
                      String fingerprint, boolean accepted, double overall, double structural, Double coherence,
                      Double relevance, Double accuracy, Double judge, List<String> reasons, String duplicateOf,
                      List<String> flags, Decision decision) {

    /** A decision exists but was made on another revision or text of this pair. */
    public boolean changedSinceReview() {
        return decision != null && !decision.covers(revision, fingerprint);
    }

    public String reviewState() {
        if (decision == null) {
            return "";
        }
        return changedSinceReview() ? "changed" : decision.verdict().toLowerCase();
    }
}
