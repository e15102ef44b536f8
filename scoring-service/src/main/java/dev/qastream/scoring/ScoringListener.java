package dev.qastream.scoring;

import dev.qastream.schemas.ScoredPair;

/**
 * Sees every scored pair the topology writes (never a tombstone), with its pair vector when it has one; and, for
 * the metrics, each batch the scoring step embeds and each judgement.
 */
@FunctionalInterface
public interface ScoringListener {
    void written(ScoredPair scored, float[] pairVector);

    /** A batch of {@code pairs} went through the scoring step; {@code embedded} of them were embedded. */
    default void batch(int pairs, int embedded, long embedNanos) {
    }

    /**
     * Pairs taken in (offsets committed with the store that holds them) and not yet written out changed by
     * {@code delta}: waiting for their batch, or in one being scored.
     */
    default void waiting(int delta) {
    }

    /** A judgement: {@code kept} (from the store), {@code asked} (the model answered) or {@code unavailable}. */
    default void judged(String outcome) {
    }

    ScoringListener NONE = (s, v) -> { };
}
