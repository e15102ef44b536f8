package dev.qastream.sink;

import dev.qastream.runtime.review.PairFingerprint;
import dev.qastream.schemas.DatasetRecord;
import dev.qastream.schemas.ReviewDecision;
import dev.qastream.schemas.ScoredPair;

import java.util.function.Function;

/**
 * What the dataset holds for one pair key, given its newest scored pair and a person's decision: pure rules.
 * A decision covers only the pair it was made on (same chunk revision, same generated text); a pair made again
 * after a prompt change or a document edit is decided by its scores until a person looks at it again.
 */
final class ReviewRules {
    static final String ACCEPTED = "accepted";
    static final String EDITED = "edited";

    private ReviewRules() {
    }

    static boolean covers(ReviewDecision decision, ScoredPair scored) {
        return decision != null && scored != null
                && decision.getRevision() == scored.getPair().getRevision()
                && decision.getPairFingerprint().equals(
                        PairFingerprint.of(scored.getPair().getQuestion(), scored.getPair().getAnswer()));
    }

    /** The dataset record of the pair, or null when it is not in the dataset. */
    static DatasetRecord outcome(ScoredPair scored, ReviewDecision decision, Function<ScoredPair, DatasetRecord> toRecord) {
        if (scored == null || scored.getPair().getRemoved()) {
            return null;
        }
        if (!covers(decision, scored)) {
            return scored.getAccepted() ? toRecord.apply(scored) : null;
        }
        return switch (decision.getDecision()) {
            case REJECTED -> null;
            case ACCEPTED -> reviewed(toRecord.apply(scored), ACCEPTED, decision);
            case EDITED -> {
                DatasetRecord r = reviewed(toRecord.apply(scored), EDITED, decision);
                // An edit of one side keeps the other as generated.
                if (decision.getEditedQuestion() != null) {
                    r.setQuestion(decision.getEditedQuestion());
                }
                if (decision.getEditedAnswer() != null) {
                    r.setAnswer(decision.getEditedAnswer());
                }
                if (decision.getEditedScore() != null) {
                    r.setQualityScore(Math.round(decision.getEditedScore() * 1000) / 1000.0);
                }
                yield r;
            }
        };
    }

    private static DatasetRecord reviewed(DatasetRecord r, String how, ReviewDecision decision) {
        r.setReviewed(how);
        r.setReviewer(decision.getReviewer());
        return r;
    }
}
