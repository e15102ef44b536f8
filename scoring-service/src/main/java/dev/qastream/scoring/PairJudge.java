package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;

import java.util.OptionalDouble;

/**
 * An optional second opinion on a pair, in [0, 1], typically a model of the tier {@code scoring.judge.tier}
 * asked whether the answer is correct and useful for the question given the chunk. Off by default
 * ({@code scoring.judge.enabled}); when it answers, its score is mixed into the overall score with weight
 * {@code scoring.judge.weight} and stored in {@code ScoredPair.judge}. Empty means "no opinion" (not asked,
 * or the judge was unavailable): the other scores decide alone.
 */
public interface PairJudge {
    OptionalDouble judge(QaPair pair, Chunk chunk);

    PairJudge NONE = (pair, chunk) -> OptionalDouble.empty();
}
