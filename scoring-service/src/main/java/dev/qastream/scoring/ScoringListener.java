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
     * {@code delta}: waiting for their batch, in one being scored, or waiting for the judge's verdict.
     */
    default void waiting(int delta) {
    }

    /** A removal of a slot that never held a pair was dropped: nothing after scoring held it. */
    default void unfilledRemoval() {
    }

    /**
     * A verdict mixed into a pair: {@code kept} (known already, no model call), {@code asked} (the judge stage
     * answered with a score) or {@code unavailable} (it answered without one).
     */
    default void judged(String outcome) {
    }

    ScoringListener NONE = (s, v) -> { };
}
