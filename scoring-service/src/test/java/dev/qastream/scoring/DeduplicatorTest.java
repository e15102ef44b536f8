package dev.qastream.scoring;

import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deduplication rules on hand-made signatures (no model): exact, near, re-score, removal of the kept pair, and the
 * kept pair chosen by score then pair key, whatever the order of arrival.
 */
class DeduplicatorTest {
    private final Deduplicator dedup = new Deduplicator(0.95);
    private final Deduplicator.Store store = Deduplicator.inMemory();

    private static Scored scored(int slot, String question, Set<String> names, float[] q, float[] a, boolean accepted) {
        return scored(slot, question, names, q, a, accepted, 0.9);
    }

    private static Scored scored(int slot, String question, Set<String> names, float[] q, float[] a, boolean accepted,
                                 double overall) {
        ScoredPair s = new PairScorer(new StructuralScorer(), AcceptancePolicy.defaults(), () -> 0L)
                .score(Fixtures.pair(slot, question, "The default value of EUtranCellFDD.ulPowerBoostEnabled is false."), Fixtures.chunk());
        s = ScoredPair.newBuilder(s).setAccepted(accepted).setOverall(overall).build();
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
        return apply(s, store);
    }

    private List<Deduplicator.Emit> apply(Scored s, Deduplicator.Store in) {
        return dedup.apply("lte/boost.md", s.scored().getPair().getPairKey(), s, null, in);
    }

    private List<Deduplicator.Emit> remove(String pairKey, Deduplicator.Store in) {
        ScoredPair removal = new PairScorer(new StructuralScorer(), AcceptancePolicy.defaults(), () -> 0L)
                .removed(QaPair.newBuilder(Fixtures.pair(0, "", "")).setPairKey(pairKey).setRemoved(true).build());
        return dedup.apply("lte/boost.md", pairKey, Scored.removal(removal), removal, in);
    }

    /** What a reader of the output topic sees last for each key: kept, a duplicate of whom, or removed. */
    private static void record(List<Deduplicator.Emit> emits, Map<String, String> outcome) {
        for (Deduplicator.Emit e : emits) {
            ScoredPair s = e.scored();
            outcome.put(e.pairKey(), s.getPair().getRemoved() ? "removed"
                    : s.getAccepted() ? "kept" : "duplicate of " + s.getDuplicateOf());
        }
    }

    private static String key(int slot) {
        return "lte/boost.md#0#" + slot;
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
    void rescoringAKeptPairKeepsItAndRemovingItPromotesTheBestRankedDuplicate() {
        Scored kept = scored(0, "Q?", Set.of("x"), unit(1, 0), unit(1, 0), true);
        apply(kept);
        apply(scored(1, "Q?", Set.of("x"), unit(1, 0), unit(1, 0), true));
        apply(scored(2, "Q?", Set.of("x"), unit(1, 0), unit(1, 0), true));

        // Re-scoring the kept pair: still kept, not a duplicate of itself, nothing else written
        List<Deduplicator.Emit> again = apply(kept);
        assertThat(again).singleElement().satisfies(e -> assertThat(e.scored().getAccepted()).isTrue());

        // Removing it: the removal, then slot 1 (same score, smaller key) promoted and slot 2 pointed at slot 1
        ScoredPair removal = new PairScorer(new StructuralScorer(), AcceptancePolicy.defaults(), () -> 0L)
                .removed(Fixtures.pair(0, "", ""));
        List<Deduplicator.Emit> out = dedup.apply("lte/boost.md", "lte/boost.md#0#0", Scored.removal(removal), removal, store);
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

    /**
     * A group where near-duplication is not transitive: questions at 0, 15 and 30 degrees (cos 15 >= 0.95 >
     * cos 30), one exact copy of the first question, and one pair about another name.
     */
    private static List<Scored> group() {
        return List.of(
                scored(0, "Q a?", Set.of("x"), unit(1, 0), unit(1, 0), true, 0.80),
                scored(1, "Q b?", Set.of("x"), unit(Math.cos(Math.toRadians(15)), Math.sin(Math.toRadians(15))), unit(1, 0), true, 0.90),
                scored(2, "Q c?", Set.of("x"), unit(Math.cos(Math.toRadians(30)), Math.sin(Math.toRadians(30))), unit(1, 0), true, 0.85),
                scored(3, "q A", Set.of("x"), unit(0, 1), unit(1, 0), true, 0.80),
                scored(4, "Q e?", Set.of("y"), unit(1, 0), unit(1, 0), true, 0.95));
    }

    private static List<List<Integer>> permutations(List<Integer> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<Integer>> out = new ArrayList<>();
        for (Integer first : items) {
            List<Integer> rest = new ArrayList<>(items);
            rest.remove(first);
            for (List<Integer> tail : permutations(rest)) {
                List<Integer> p = new ArrayList<>();
                p.add(first);
                p.addAll(tail);
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void everyArrivalOrderKeepsTheSamePairsWithTheSamePointersThroughRemovalsAndUpdates() {
        List<Scored> group = group();
        // By rank (score, then key): e (0.95) kept; b (0.90) kept; c (0.85) near b; a (0.80) near b; d (0.80) is
        // a's exact copy, but a is not kept and d is near no kept pair: kept
        Map<String, String> all = Map.of(key(4), "kept", key(1), "kept", key(2), "duplicate of " + key(1),
                key(0), "duplicate of " + key(1), key(3), "kept");
        // b removed: c and a are no longer near anything kept; d is a's exact copy
        Map<String, String> withoutB = Map.of(key(4), "kept", key(1), "removed", key(2), "kept", key(0), "kept",
                key(3), "duplicate of " + key(0));
        // e re-scored to name x like the rest, close to a: it takes a's place
        Scored eAboutX = scored(4, "Q e?", Set.of("x"), unit(1, 0), unit(1, 0), true, 0.95);
        Map<String, String> end = Map.of(key(4), "kept", key(1), "removed", key(2), "kept",
                key(0), "duplicate of " + key(4), key(3), "kept");

        for (List<Integer> order : permutations(List.of(0, 1, 2, 3, 4))) {
            for (boolean removeFirst : new boolean[]{true, false}) {
                Deduplicator.Store in = Deduplicator.inMemory();
                Map<String, String> outcome = new TreeMap<>();
                order.forEach(i -> record(apply(group.get(i), in), outcome));
                assertThat(outcome).as("arrival order %s", order).isEqualTo(all);

                if (removeFirst) {
                    record(remove(key(1), in), outcome);
                    assertThat(outcome).as("arrival order %s, then b removed", order).isEqualTo(withoutB);
                    record(apply(eAboutX, in), outcome);
                } else {
                    record(apply(eAboutX, in), outcome);
                    record(remove(key(1), in), outcome);
                }
                assertThat(outcome).as("arrival order %s, then b removed and e re-scored", order).isEqualTo(end);
            }
        }
    }

    @Test
    void aBetterPairArrivingLaterDemotesTheKeptOneAndPointsItAtTheNewWinner() {
        apply(scored(0, "Q?", Set.of("x"), unit(1, 0), unit(1, 0), true, 0.80));

        List<Deduplicator.Emit> out = apply(scored(1, "Q?", Set.of("x"), unit(1, 0), unit(1, 0), true, 0.90));

        assertThat(out).extracting(Deduplicator.Emit::pairKey).containsExactly(key(1), key(0));
        assertThat(out.get(0).scored().getAccepted()).isTrue();
        assertThat(out.get(1).scored().getAccepted()).isFalse();
        assertThat(out.get(1).scored().getDuplicateOf()).isEqualTo(key(1));
        assertThat(out.get(1).scored().getReasons()).contains("duplicate of " + key(1) + " (\"Q?\")");
    }

    @Test
    void theRuleGivesTheSameStandingsForTheSameEntriesInAnyOrder() {
        List<DedupEntry> entries = new ArrayList<>(group().stream().map(DeduplicatorTest::entry).toList());
        entries.add(entry(scored(5, "Q a?", Set.of("x"), unit(1, 0), unit(1, 0), false, 0.99))); // rejected on merit
        Map<String, Deduplicator.Standing> expected = Map.of(
                key(4), Deduplicator.Standing.KEPT, key(1), Deduplicator.Standing.KEPT, key(3), Deduplicator.Standing.KEPT,
                key(2), new Deduplicator.Standing(DedupEntry.Status.DUPLICATE, key(1)),
                key(0), new Deduplicator.Standing(DedupEntry.Status.DUPLICATE, key(1)),
                key(5), Deduplicator.Standing.REJECTED);

        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            Collections.shuffle(entries, random);
            assertThat(dedup.standings(entries)).as("order %s", entries.stream().map(DedupEntry::pairKey).toList())
                    .isEqualTo(expected);
        }
    }

    @Test
    void betweenEqualScoresTheSmallerPairKeyIsKept() {
        apply(scored(1, "Q?", Set.of("x"), unit(1, 0), unit(1, 0), true, 0.9));

        List<Deduplicator.Emit> out = apply(scored(0, "Q?", Set.of("x"), unit(1, 0), unit(1, 0), true, 0.9));

        assertThat(out).extracting(e -> e.pairKey() + " " + e.scored().getAccepted() + " " + e.scored().getDuplicateOf())
                .containsExactly(key(0) + " true null", key(1) + " false " + key(0));
    }

    @Test
    void aDuplicateOfAKeptPairAskedInOtherWordsIsWrittenAgainQuotingIt() {
        apply(scored(0, "Q one?", Set.of("x"), unit(1, 0), unit(1, 0), true, 0.9));
        apply(scored(1, "Q two?", Set.of("x"), unit(1, 0), unit(1, 0), true, 0.8));

        List<Deduplicator.Emit> out = apply(scored(0, "Q one, reworded?", Set.of("x"), unit(1, 0), unit(1, 0), true, 0.9));

        assertThat(out).extracting(Deduplicator.Emit::pairKey).containsExactly(key(0), key(1));
        assertThat(out.get(1).scored().getReasons()).contains("duplicate of " + key(0) + " (\"Q one, reworded?\")");
    }

    @Test
    void anEntryStoredBeforeScoresWereStoredReadsItsScoreFromItsPair() {
        Scored s = scored(0, "Q?", Set.of("x"), unit(1, 0), unit(1, 0), true, 0.87);
        DedupEntry e = entry(s);
        byte[] before = new BinaryCodec.Writer(1024).utf(e.pairKey()).int64(3).int8(e.status().ordinal()).utf("")
                .utf(e.normalizedQuestion()).names(e.names()).vector(e.vector()).bytes(e.meritAvro()).toBytes();

        DedupEntry read = DedupEntry.fromBytes(before);

        assertThat(read.score()).isEqualTo(0.87);
        assertThat(read.pairKey()).isEqualTo(e.pairKey());
        assertThat(DedupEntry.fromBytes(e.toBytes()).score()).isEqualTo(0.87);
    }

    private static DedupEntry entry(Scored s) {
        return DedupEntry.of(s.scored().getPair().getPairKey(),
                s.acceptedOnMerit() ? DedupEntry.Status.KEPT : DedupEntry.Status.REJECTED, null,
                s.normalizedQuestion(), s.names(), s.vector(), s.scored());
    }

    private static Scored stating(int slot, String question, double overall, float[] q, String... facts) {
        Scored base = scored(slot, question, Set.of("x" + slot), q, q, true, overall);
        ScoredPair s = ScoredPair.newBuilder(base.scored()).setConfirmedFacts(List.of(facts)).build();
        return new Scored(s, base.normalizedQuestion(), base.names(), base.vector());
    }

    @Test
    void pairsBeyondTheLimitPerFactAreDuplicatesOfTheFactHoweverTheyAreWorded() {
        // Given a limit of two accepted pairs per value fact, and four differently worded pairs (no two near each
        // other) that state the default of one parameter; one of them also states its unit
        Deduplicator limited = new Deduplicator(0.95, 2);
        String fact = "lte/boost.md#0|parameter.default|EUtranCellFDD.ulPowerBoostEnabled";
        String unit = "lte/boost.md#0|parameter.unit|EUtranCellFDD.ulPowerBoostEnabled";
        String purpose = "lte/boost.md#0|parameter.purpose|EUtranCellFDD.ulPowerBoostEnabled";
        List<Scored> pairs = List.of(
                stating(0, "What is the default of the boost?", 0.90, unit(1, 0, 0, 0), fact, purpose),
                stating(1, "Which value does the boost flag start with?", 0.95, unit(0, 1, 0, 0), fact, purpose),
                stating(2, "Is the uplink power boost on out of the box?", 0.85, unit(0, 0, 1, 0), fact, purpose),
                stating(3, "What are the default and unit of the boost?", 0.80, unit(0, 0, 0, 1), fact, unit));

        for (List<Scored> order : List.of(pairs, List.of(pairs.get(3), pairs.get(2), pairs.get(1), pairs.get(0)))) {
            Deduplicator.Store in = Deduplicator.inMemory();
            Map<String, String> outcome = new TreeMap<>();
            order.forEach(p -> record(limited.apply("lte/boost.md", p.scored().getPair().getPairKey(), p, null, in), outcome));

            // Then the two best pairs for the fact are kept, the third is a duplicate of the best one, and the one
            // that also states a fact not yet covered is kept; a descriptive fact (purpose) sets no limit
            assertThat(outcome).as("arrival order %s", order.stream().map(p -> p.scored().getPair().getSlot()).toList())
                    .containsEntry(key(1), "kept").containsEntry(key(0), "kept")
                    .containsEntry(key(2), "duplicate of " + key(1)).containsEntry(key(3), "kept");
        }
        // And without a limit every one is kept
        Map<String, String> unlimited = new TreeMap<>();
        Deduplicator.Store in = Deduplicator.inMemory();
        pairs.forEach(p -> record(dedup.apply("lte/boost.md", p.scored().getPair().getPairKey(), p, null, in), unlimited));
        assertThat(unlimited.values()).containsOnly("kept");
    }

    /**
     * Only the pairs ranked at or below a changed one are ranked again, and a pair kept neither before nor after a
     * change reads no group: after every change of long random sequences (pairs scored, re-scored, removed; near and
     * exact duplicates, pairs rejected on merit, a limit per fact), the stored standings are the rule's for the whole
     * group computed from scratch, and the last record a reader saw of each pair says the same.
     */
    @Test
    void afterEveryChangeTheStoredStandingsAreTheRulesForTheWholeGroup() {
        Deduplicator limited = new Deduplicator(0.95, 2);
        String[] facts = {"d|parameter.default|A", "d|parameter.default|B", "d|parameter.range|A"};
        for (long seed = 1; seed <= 40; seed++) {
            Random random = new Random(seed);
            Deduplicator.Store in = Deduplicator.inMemory();
            Map<String, String> seen = new TreeMap<>();
            for (int step = 0; step < 120; step++) {
                int slot = random.nextInt(16);
                if (random.nextInt(5) == 0) {
                    ScoredPair removal = new PairScorer(new StructuralScorer(), AcceptancePolicy.defaults(), () -> 0L)
                            .removed(QaPair.newBuilder(Fixtures.pair(slot, "", "")).setRemoved(true).build());
                    record(limited.apply("lte/boost.md", key(slot), Scored.removal(removal), removal, in), seen);
                } else {
                    // Few directions and questions, so that near and exact duplicates are common
                    double angle = Math.toRadians(10 * random.nextInt(5));
                    float[] q = unit(Math.cos(angle), Math.sin(angle), 0);
                    String question = "Q " + random.nextInt(4) + "?";
                    Scored base = scored(slot, question, Set.of(random.nextBoolean() ? "x" : "y"), q, unit(1, 0, 0),
                            random.nextInt(4) != 0, Math.round(random.nextDouble() * 10) / 10.0);
                    List<String> stated = random.nextBoolean() ? List.of(facts[random.nextInt(facts.length)]) : List.of();
                    Scored pair = new Scored(ScoredPair.newBuilder(base.scored()).setConfirmedFacts(stated).build(),
                            base.normalizedQuestion(), base.names(), base.vector());
                    record(limited.apply("lte/boost.md", key(slot), pair, null, in), seen);
                }
                List<DedupEntry> group = in.document("lte/boost.md");
                Map<String, Deduplicator.Standing> rule = limited.standings(group);
                for (DedupEntry e : group) {
                    Deduplicator.Standing stored = new Deduplicator.Standing(e.status(), e.duplicateOf());
                    assertThat(stored).as("seed %d, step %d, %s", seed, step, e.pairKey()).isEqualTo(rule.get(e.pairKey()));
                    Deduplicator.Standing r = rule.get(e.pairKey());
                    String expected = r.status() == DedupEntry.Status.DUPLICATE ? "duplicate of " + r.duplicateOf()
                            : r.status() == DedupEntry.Status.KEPT ? "kept" : "duplicate of null";
                    assertThat(seen.get(e.pairKey())).as("seed %d, step %d, last record of %s", seed, step, e.pairKey())
                            .isEqualTo(expected);
                }
            }
        }
    }
}
