package dev.qastream.scoring.coverage;

import dev.qastream.runtime.config.Config;

/**
 * Coverage's settings ({@code coverage.*}).
 *
 * @param maxRounds    follow-up rounds per chunk revision that ask again for the facts still uncovered
 * @param pairsPerFact accepted pairs kept per value fact, 0: no limit (enforced by deduplication; published here)
 * @param roundQuietMs a round whose slot count is unknown is complete once none of its pairs arrived for this long
 */
public record CoverageSettings(int maxRounds, int pairsPerFact, long roundQuietMs) {
    public static final String MAX_ROUNDS = "coverage.max-rounds";
    public static final String PAIRS_PER_FACT = "coverage.pairs-per-fact";
    public static final String ROUND_QUIET_MS = "coverage.round-quiet-ms";

    public CoverageSettings {
        if (maxRounds < 0 || pairsPerFact < 0 || roundQuietMs < 1) {
            throw new IllegalArgumentException("coverage.max-rounds must be >= 0, coverage.pairs-per-fact >= 0 (0: no limit) and "
                    + "coverage.round-quiet-ms >= 1");
        }
    }

    public static CoverageSettings defaults() {
        return new CoverageSettings(2, 2, 1000);
    }

    public static CoverageSettings from(Config c) {
        return new CoverageSettings(c.integer(MAX_ROUNDS), c.integer(PAIRS_PER_FACT), c.longValue(ROUND_QUIET_MS));
    }
}
