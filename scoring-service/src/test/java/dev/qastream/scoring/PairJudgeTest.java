package dev.qastream.scoring;

import dev.qastream.schemas.ScoredPair;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The optional judge: off by default; when on and it answers, mixed into the overall score with its weight. */
class PairJudgeTest {
    private static final String Q = "What is the default value of EUtranCellFDD.ulPowerBoostEnabled?";
    private static final String A = "The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled).";

    private static PairScorer scorer(boolean enabled, PairJudge judge) {
        ScoringSettings s = new ScoringSettings(AcceptancePolicy.defaults(), 0.95, List.of(), enabled, "quality", 0.25, 4);
        return new PairScorer(new StructuralScorer(), null, s, judge, () -> 0L);
    }

    @Test
    void aDisabledJudgeIsNeverAsked() {
        ScoredPair s = scorer(false, (p, c) -> { throw new AssertionError("asked"); }).score(Fixtures.pair(0, Q, A), Fixtures.chunk());
        assertThat(s.getJudge()).isNull();
    }

    @Test
    void anEnabledJudgeIsMixedInWithItsWeight() {
        ScoredPair without = scorer(true, PairJudge.NONE).score(Fixtures.pair(0, Q, A), Fixtures.chunk());
        ScoredPair judged = scorer(true, (p, c) -> OptionalDouble.of(0.2)).score(Fixtures.pair(0, Q, A), Fixtures.chunk());

        assertThat(without.getJudge()).isNull();
        assertThat(judged.getJudge()).isEqualTo(0.2);
        assertThat(judged.getOverall()).isCloseTo(0.75 * without.getOverall() + 0.25 * 0.2, within(1e-4));
    }
}
