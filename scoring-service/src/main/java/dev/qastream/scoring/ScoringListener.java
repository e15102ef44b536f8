package dev.qastream.scoring;

import dev.qastream.schemas.ScoredPair;

/** Sees every scored pair the topology writes (never a tombstone), with its pair vector when it has one. */
@FunctionalInterface
public interface ScoringListener {
    void written(ScoredPair scored, float[] pairVector);

    ScoringListener NONE = (s, v) -> { };
}
