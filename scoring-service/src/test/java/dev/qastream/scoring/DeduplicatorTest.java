package dev.qastream.scoring;

import dev.qastream.schemas.ScoredPair;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Deduplication rules on hand-made signatures (no model): exact, near, re-score, removal of the kept pair. */
class DeduplicatorTest {
    private final Deduplicator dedup = new Deduplicator(0.95);
    private final Deduplicator.Store store = Deduplicator.inMemory();
    private long seq;

    private static Scored scored(int slot, String question, Set<String> names, float[] q, float[] a, boolean accepted) {
        ScoredPair s = new PairScorer(new StructuralScorer(), AcceptancePolicy.defaults(), () -> 0L)
                .score(Fixtures.pair(slot, question, "The default value of EUtranCellFDD.ulPowerBoostEnabled is false."), Fixtures.chunk());
        s = ScoredPair.newBuilder(s).setAccepted(accepted).build();
        float[] both = new float[q.length + a.length];
        System.arraycopy(q, 0, both, 0, q.length);
        System.arraycopy(a, 0, both, q.length, a.length);
        return new Scored(s, Scored.normalizeQuestion(question), names, both);
    }

    private static float[] unit(double... xs) {
        float[] v = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            v[i] = (float) xs[i];
        }
        return Vectors.normalize(v);
    }

    private List<Deduplicator.Emit> apply(Scored s) {
        return dedup.apply("lte/boost.md", s.scored().getPair().getPairKey(), s, null, seq++, store);
    }

    @Test
    void sameNormalisedQuestionIsAnExactDuplicateOfTheEarlierPair() {
        apply(scored(0, "What is the default of X?", Set.of("x"), unit(1, 0), unit(1, 0), true));
        List<Deduplicator.Emit> out = apply(scored(1, "what is the DEFAULT of x", Set.of("x"), unit(0, 1), unit(0, 1), true));

        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.scored().getAccepted()).isFalse();
            assertThat(e.scored().getDuplicateOf()).isEqualTo("lte/boost.md#0#0");
        });
    }

    @Test
    void nearDuplicatesNeedQuestionAndAnswerCloseAndTheSameNames() {
        apply(scored(0, "Q one?", Set.of("x"), unit(1, 0.0), unit(1, 0), true));
        Scored near = scored(1, "Q two?", Set.of("x"), unit(1, 0.1), unit(1, 0.05), true);
        Scored otherAnswer = scored(2, "Q three?", Set.of("x"), unit(1, 0.1), unit(0.5, 1), true);
        Scored otherName = scored(3, "Q four?", Set.of("y"), unit(1, 0.1), unit(1, 0.05), true);

        assertThat(apply(near).get(0).scored().getDuplicateOf()).isEqualTo("lte/boost.md#0#0");
        assertThat(apply(otherAnswer).get(0).scored().getAccepted()).isTrue();
        assertThat(apply(otherName).get(0).scored().getAccepted()).isTrue();
    }

    @Test
    void rescoringAKeptPairKeepsItAndRemovingItPromotesTheEarliestDuplicate() {
        Scored kept = scored(0, "Q?", Set.of("x"), unit(1, 0), unit(1, 0), true);
        apply(kept);
        apply(scored(1, "Q?", Set.of("x"), unit(1, 0), unit(1, 0), true));
        apply(scored(2, "Q?", Set.of("x"), unit(1, 0), unit(1, 0), true));

        // Re-scoring the kept pair: still kept, not a duplicate of itself, nothing else written
        List<Deduplicator.Emit> again = apply(kept);
        assertThat(again).singleElement().satisfies(e -> assertThat(e.scored().getAccepted()).isTrue());

        // Removing it: the removal, then slot 1 promoted and slot 2 pointed at slot 1
        ScoredPair removal = new PairScorer(new StructuralScorer(), AcceptancePolicy.defaults(), () -> 0L)
                .removed(Fixtures.pair(0, "", ""));
        List<Deduplicator.Emit> out = dedup.apply("lte/boost.md", "lte/boost.md#0#0", Scored.removal(removal), removal, seq++, store);
        assertThat(out).extracting(Deduplicator.Emit::pairKey)
                .containsExactly("lte/boost.md#0#0", "lte/boost.md#0#1", "lte/boost.md#0#2");
        assertThat(out.get(1).scored().getAccepted()).isTrue();
        assertThat(out.get(1).scored().getDuplicateOf()).isNull();
        assertThat(out.get(2).scored().getDuplicateOf()).isEqualTo("lte/boost.md#0#1");
    }

    @Test
    void pairsRejectedOnTheirMeritsAreNeverKept() {
        apply(scored(0, "Q?", Set.of("x"), unit(1, 0), unit(1, 0), false));
        List<Deduplicator.Emit> out = apply(scored(1, "Q?", Set.of("x"), unit(1, 0), unit(1, 0), true));
        assertThat(out.get(0).scored().getAccepted()).isTrue();
        assertThat(out.get(0).scored().getDuplicateOf()).isNull();
    }
}
