package dev.qastream.review;

import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ReviewVerdict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.qastream.review.Records.coverage;
import static dev.qastream.review.Records.decision;
import static dev.qastream.review.Records.pair;
import static dev.qastream.review.Records.scored;
import static dev.qastream.review.Records.uncovered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ReviewStoreTest {
    private final ReviewStore store = new ReviewStore(0.75);

    @AfterEach
    void close() {
        store.close();
    }

    private QaPair put(String doc, int slot, double overall, boolean accepted, String tier, String model, String prompt,
                       String question, String answer, String... reasons) {
        QaPair p = pair(doc, slot, question, answer, tier, model, prompt, 7);
        store.putScored(p.getPairKey(), scored(p, overall, accepted, reasons));
        return p;
    }

    private List<String> keys(PairFilter f) {
        return store.page(f, 0, 100).rows().stream().map(PairRow::pairKey).toList();
    }

    private static PairFilter filter(String doc, String tier, String model, String prompt, String verdict, String reason,
                                     Double min, Double max, boolean borderline, String review, String text) {
        return new PairFilter(doc, tier, model, prompt, verdict, reason, min, max, borderline, review, text);
    }

    @Test
    void filtersByDocumentGlobTierModelPromptVerdictReasonScoreAndText() {
        put("guides/ospf.md", 0, 0.90, true, "fast", "m1", "v1", "What is the OSPF hello interval?", "10 seconds");
        put("guides/bgp.md", 0, 0.40, false, "quality", "m2", "v2", "What is BGP hold time?", "90 seconds",
                "accuracy 0.2 below 0.5");
        put("notes/bgp_100%.txt", 0, 0.60, false, "fast", "m1", "v2", "Which port does BGP use?", "TCP 179",
                "fact check: port 179 contradicts 180");

        assertThat(keys(PairFilter.ALL)).hasSize(3);
        assertThat(keys(filter("guides/*", null, null, null, null, null, null, null, false, null, null)))
                .containsExactly("guides/bgp.md#0#0", "guides/ospf.md#0#0");
        assertThat(keys(filter("*_100%.txt", null, null, null, null, null, null, null, false, null, null)))
                .as("_ and %% in a glob are literal").containsExactly("notes/bgp_100%.txt#0#0");
        assertThat(keys(filter("guides/?gp.md", null, null, null, null, null, null, null, false, null, null)))
                .containsExactly("guides/bgp.md#0#0");
        assertThat(keys(filter(null, "fast", "m1", "v2", null, null, null, null, false, null, null)))
                .containsExactly("notes/bgp_100%.txt#0#0");
        assertThat(keys(filter(null, null, null, null, "accepted", null, null, null, false, null, null)))
                .containsExactly("guides/ospf.md#0#0");
        assertThat(keys(filter(null, null, null, null, "rejected", "FACT CHECK", null, null, false, null, null)))
                .containsExactly("notes/bgp_100%.txt#0#0");
        assertThat(keys(filter(null, null, null, null, null, null, 0.5, 0.95, false, null, null)))
                .containsExactly("guides/ospf.md#0#0", "notes/bgp_100%.txt#0#0");
        assertThat(keys(filter(null, null, null, null, null, null, null, null, false, null, "bgp SECONDS")))
                .as("every word, in question or answer, any case").containsExactly("guides/bgp.md#0#0");
        assertThat(store.values("tier")).containsExactly("fast", "quality");
    }

    @Test
    void borderlineIsWithinATenthOfTheAcceptThreshold() {
        put("d", 0, 0.64, false, "fast", "m", "v", "q0", "a0");
        put("d", 1, 0.66, false, "fast", "m", "v", "q1", "a1");
        put("d", 2, 0.85, true, "fast", "m", "v", "q2", "a2");
        put("d", 3, 0.86, true, "fast", "m", "v", "q3", "a3");

        assertThat(keys(PairFilter.ALL.withBorderline())).containsExactly("d#0#1", "d#0#2");
    }

    @Test
    void aDecisionOnAnotherTextOrRevisionShowsAsChangedSinceReviewWithTheOldText() {
        QaPair kept = put("d", 0, 0.8, true, "fast", "m", "v", "q0", "a0");
        QaPair regenerated = put("d", 1, 0.8, true, "fast", "m", "v", "What is the MTU?", "The MTU is 1500 bytes.");
        put("d", 2, 0.8, true, "fast", "m", "v", "q2", "a2");
        store.putDecision(kept.getPairKey(), decision(kept, ReviewVerdict.ACCEPTED, "ann"), 0);
        store.putDecision(regenerated.getPairKey(), decision(regenerated, ReviewVerdict.REJECTED, "ann"), 1);
        // the prompt changed: slot 1 comes again with another answer
        put("d", 1, 0.8, true, "fast", "m", "v2", "What is the MTU?", "The MTU is 9000 bytes.");

        assertThat(keys(PairFilter.ALL.withReview("reviewed"))).containsExactly("d#0#0");
        assertThat(keys(PairFilter.ALL.withReview("changed"))).containsExactly("d#0#1");
        assertThat(keys(PairFilter.ALL.withReview("not-reviewed"))).containsExactly("d#0#1", "d#0#2");

        PairDetail detail = PairDetail.of(store, store.pair("d#0#1").orElseThrow());
        assertThat(detail.answerDiff()).containsExactly(new TextDiff.Part("same", "The MTU is "),
                new TextDiff.Part("add", "9000 "), new TextDiff.Part("del", "1500 "), new TextDiff.Part("same", "bytes."));
    }

    @Test
    void theLaterDecisionWinsAndAnOlderRecordReadAfterItIsIgnored() {
        QaPair p = put("d", 0, 0.8, true, "fast", "m", "v", "q", "a");
        store.putDecision(p.getPairKey(), decision(p, ReviewVerdict.REJECTED, "bob"), 5);
        // the feed brings an earlier record after the workbench applied its own write
        assertThat(store.putDecision(p.getPairKey(), decision(p, ReviewVerdict.ACCEPTED, "ann"), 3)).isFalse();
        assertThat(store.pair(p.getPairKey()).orElseThrow().decision().verdict()).isEqualTo("REJECTED");

        // undo: a tombstone withdraws it, and the older record does not bring it back
        store.putDecision(p.getPairKey(), null, 6);
        store.putDecision(p.getPairKey(), decision(p, ReviewVerdict.ACCEPTED, "ann"), 5);
        assertThat(store.pair(p.getPairKey()).orElseThrow().decision()).isNull();
        assertThat(keys(PairFilter.ALL.withReview("not-reviewed"))).containsExactly(p.getPairKey());
    }

    @Test
    void aRemovedPairLeavesTheList() {
        QaPair p = put("d", 0, 0.8, true, "fast", "m", "v", "q", "a");
        QaPair removal = QaPair.newBuilder(p).setRemoved(true).setQuestion("").setAnswer("").build();
        store.putScored(p.getPairKey(), scored(removal, 0, false));
        assertThat(store.count()).isZero();
    }

    @Test
    void aDeepPageAndANarrowFilterAreAnsweredFromTheStoreWithoutLoadingEveryPair() {
        // (how fast: ./pipeline bench review)
        store.inOneTransaction(() -> {
            for (int i = 0; i < 5_000; i++) {
                put("doc" + (i % 500) + ".md", i, (i % 100) / 100.0, i % 3 == 0, "fast", "m", "v",
                        "question " + i + " about timers", "answer " + i);
            }
        });
        PairFilter narrow = filter("doc4*", null, null, null, "accepted", null, null, null, true, "not-reviewed", "timers");

        Page deep = store.page(PairFilter.ALL, 4_950, 50);
        Page filtered = store.page(narrow, 0, 50);

        assertThat(deep.total()).isEqualTo(5_000);
        assertThat(deep.rows()).hasSize(50);
        assertThat(filtered.rows()).isNotEmpty().hasSizeLessThanOrEqualTo(50)
                .allSatisfy(r -> assertThat(r.documentId()).startsWith("doc4"));
    }

    @Test
    void keepsTheLatestCoverageOfEachDocumentWithItsUncoveredFactsUntilATombstone() {
        QaPair p = put("guides/ospf.md", 0, 0.8, true, "fast", "m", "v", "q", "a");
        store.putCoverage("guides/ospf.md", coverage("guides/ospf.md", 42, 30, 0.5));
        store.putCoverage("guides/ospf.md", coverage("guides/ospf.md", 42, 37, 0.714,
                uncovered("f1", "the hello interval", "10 s", "never answered", null),
                uncovered("f2", "the dead interval", "40 s", "answered wrongly", "d#0#1: answer says 30 s; the document says 40 s"),
                uncovered("f3", "the default cost", "10", "rejected", "d#0#2: accuracy 0.2 below 0.5")));
        store.putCoverage("guides/bgp.md", coverage("guides/bgp.md", 10, 5, 0.9));
        store.putCoverage("notes/x.md", coverage("notes/x.md", 3, 3, 1.0));

        Coverage ospf = store.coverage("guides/ospf.md").orElseThrow();
        assertThat(ospf.line()).isEqualTo("facts covered 37 of 42 (88%)");
        assertThat(ospf.diversityText()).isEqualTo("0.71");
        assertThat(ospf.uncovered()).extracting(Coverage.Uncovered::text, Coverage.Uncovered::why).containsExactly(
                tuple("the hello interval", "never answered"),
                tuple("the dead interval",
                        "answered wrongly: d#0#1: answer says 30 s; the document says 40 s"),
                tuple("the default cost", "rejected: d#0#2: accuracy 0.2 below 0.5"));
        assertThat(PairDetail.of(store, store.pair(p.getPairKey()).orElseThrow()).coverage()).isEqualTo(ospf);
        assertThat(store.coverageMatching("guides/*")).extracting(Coverage::documentId)
                .containsExactly("guides/bgp.md", "guides/ospf.md");
        assertThat(store.coverageMatching(null)).hasSize(3);

        store.putCoverage("guides/ospf.md", null);
        assertThat(store.coverage("guides/ospf.md")).isEmpty();
        assertThat(PairDetail.of(store, store.pair(p.getPairKey()).orElseThrow()).coverage()).isNull();
        assertThat(store.coverageMatching("guides/*")).extracting(Coverage::documentId).containsExactly("guides/bgp.md");
    }
}
