package dev.qastream.scoring.coverage;

import dev.qastream.runtime.config.Config;

/**
 * Coverage's settings ({@code coverage.*}).
 *
 * @param maxRounds    follow-up rounds per chunk revision that ask again for the facts still uncovered
 * @param pairsPerFact accepted pairs kept per value fact, 0: no limit (enforced by deduplication; published here)
 * @param roundQuietMs a round whose slot count is unknown is complete once none of its pairs arrived for this long
 * @param followUpPairs pairs a follow-up asks for ({@code generation.follow-up-max-pairs}): the facts it names beyond
 *                      that many had no pair of their own, so leaving them unanswered says nothing about the model
 */
public record CoverageSettings(int maxRounds, int pairsPerFact, long roundQuietMs, int followUpPairs) {
    public static final String MAX_ROUNDS = "coverage.max-rounds";
    public static final String PAIRS_PER_FACT = "coverage.pairs-per-fact";
    public static final String ROUND_QUIET_MS = "coverage.round-quiet-ms";
    public static final String FOLLOW_UP_PAIRS = "generation.follow-up-max-pairs";

    public CoverageSettings {
        if (maxRounds < 0 || pairsPerFact < 0 || roundQuietMs < 1 || followUpPairs < 1) {
            throw new IllegalArgumentException("coverage.max-rounds must be >= 0, coverage.pairs-per-fact >= 0 (0: no limit) and "
                    + "coverage.round-quiet-ms >= 1; generation.follow-up-max-pairs >= 1");
        }
    }

    public static CoverageSettings defaults() {
        return new CoverageSettings(2, 2, 1000, 24);
    }

    public static CoverageSettings from(Config c) {
        return new CoverageSettings(c.integer(MAX_ROUNDS), c.integer(PAIRS_PER_FACT), c.longValue(ROUND_QUIET_MS),
                c.integer(FOLLOW_UP_PAIRS));
    }
}
