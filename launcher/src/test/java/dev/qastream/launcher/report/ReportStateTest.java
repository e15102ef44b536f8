package dev.qastream.launcher.report;

import dev.qastream.schemas.DocumentStatus;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ReviewVerdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.qastream.launcher.report.Records.datasetRecord;
import static dev.qastream.launcher.report.Records.document;
import static dev.qastream.launcher.report.Records.pair;
import static dev.qastream.launcher.report.Records.scored;
import static org.assertj.core.api.Assertions.assertThat;

class ReportStateTest {

    @Test
    void removedCountsOnlyPairsThatLeftTheDatasetNotClearedEmptySlots() {
        ReportState state = new ReportState();
        state.document("a.md", document("a.md", DocumentStatus.INGESTED, 1, 1_000));
        // an accepted pair whose chunk changed: it left the dataset
        state.scored("a.md#0#0", scored(pair("a.md#0#0", "a.md", "fast", "m", "v1", null, 1_100, false), 0.9, 0.8, true,
                List.of(), List.of(), 1_200));
        state.scored("a.md#0#0", scored(pair("a.md#0#0", "a.md", "fast", "m", "v1", null, 1_300, true), 0, null, false,
                List.of(), List.of(), 1_400));
        // slots cleared that never held a pair, and a rejected pair removed: nothing left the dataset
        for (int slot = 1; slot < 8; slot++) {
            String key = "a.md#0#" + slot;
            state.scored(key, scored(pair(key, "a.md", "fast", "m", "v1", null, 1_300, true), 0, null, false,
                    List.of(), List.of(), 1_400));
        }
        state.scored("a.md#1#0", scored(pair("a.md#1#0", "a.md", "fast", "m", "v1", null, 1_100, false), 0.3, 0.3, false,
                List.of("answer is too short (1 word)"), List.of(), 1_200));
        state.scored("a.md#1#0", scored(pair("a.md#1#0", "a.md", "fast", "m", "v1", null, 1_300, true), 0, null, false,
                List.of(), List.of(), 1_400));
        // and a removed pair that came back accepted is in the dataset again
        state.scored("a.md#2#0", scored(pair("a.md#2#0", "a.md", "fast", "m", "v1", null, 1_100, false), 0.9, 0.8, true,
                List.of(), List.of(), 1_200));
        state.scored("a.md#2#0", scored(pair("a.md#2#0", "a.md", "fast", "m", "v1", null, 1_300, true), 0, null, false,
                List.of(), List.of(), 1_400));
        state.scored("a.md#2#0", scored(pair("a.md#2#0", "a.md", "fast", "m", "v1", null, 1_500, false), 0.9, 0.8, true,
                List.of(), List.of(), 1_600));

        assertThat(state.report(2_000).counts().removals()).isEqualTo(1);
    }

    @Test
    void coverageShowsEachDocumentAndEveryUncoveredFactWithWhy() {
        ReportState state = new ReportState();
        state.coverage("a.md", Records.coverage("a.md", 4, 3, 0.9, "never answered"));
        state.coverage("b.md", Records.coverage("b.md", 2, 2, 0.5, null));
        state.coverage("gone.md", Records.coverage("gone.md", 2, 0, 0, "never answered"));
        state.coverage("gone.md", null);

        QualityReport.Coverage c = state.report(2_000).coverage();
        assertThat(c.facts()).isEqualTo(6);
        assertThat(c.covered()).isEqualTo(5);
        assertThat(c.documents()).extracting(QualityReport.DocumentCoverage::documentId).containsExactly("a.md", "b.md");
        assertThat(c.documents().get(0).diversity()).isEqualTo(0.9);
        assertThat(c.uncovered()).singleElement().satisfies(u -> {
            assertThat(u.documentId()).isEqualTo("a.md");
            assertThat(u.reason()).isEqualTo("never answered");
        });

        String html = HtmlReport.render(state.report(2_000));
        assertThat(html).contains("<h2>Coverage</h2>", "data-metric=\"coverage\"", "the default value of X.y", "never answered");
    }

    @Test
    void newestStatePerKeyCountsAndRemovalsAreCountedApart() {
        // Given a pair rejected, then re-scored as accepted under the same key, another pair later removed,
        // and a third rejected pair
        ReportState state = new ReportState();
        state.document("a.md", document("a.md", DocumentStatus.INGESTED, 3, 1_000));
        state.document("bad.md", document("bad.md", DocumentStatus.FAILED, 0, 1_000));
        state.scored("a.md#0#0", scored(pair("a.md#0#0", "a.md", "fast", "m1", "v1", "parameter", 1_100, false),
                0.5, null, false, List.of("answer is too short (2 words)"), List.of(), 1_200));
        state.scored("a.md#0#0", scored(pair("a.md#0#0", "a.md", "fast", "m1", "v1", "parameter", 1_300, false),
                0.9, 0.8, true, List.of(), List.of(), 1_400));
        state.scored("a.md#1#0", scored(pair("a.md#1#0", "a.md", "balanced", "m2", "v1", null, 1_100, false),
                0.9, 0.8, true, List.of(), List.of(), 1_200));
        state.scored("a.md#1#0", scored(pair("a.md#1#0", "a.md", "balanced", "m2", "v1", null, 1_500, true),
                0, null, false, List.of(), List.of(), 1_600));
        state.scored("a.md#2#0", scored(pair("a.md#2#0", "a.md", "balanced", "m2", "v1", null, 1_100, false),
                0.3, 0.35, false, List.of("mentions unknown parameter Foo.barBaz", "answer is too short (1 word)"),
                List.of("conflict: b.md says 5"), 1_900));
        state.datasetRecord("a.md#0#0", datasetRecord("a.md", "Feature A", "parameter", 1));

        // When the report is made
        QualityReport r = state.report(2_000);

        // Then pairs are the newest state per key, the removal is not a pair
        assertThat(r.counts()).isEqualTo(new QualityReport.Counts(1, 1, 3, 0, 2, 1, 1, 1, 0, 1));
        assertThat(r.acceptance().byTier()).extracting(QualityReport.Group::name).containsExactly("fast", "balanced");
        assertThat(r.acceptance().byTier().get(0).acceptanceRate()).isEqualTo(1.0);
        assertThat(r.questionTypes()).extracting(QualityReport.Group::name).containsExactlyInAnyOrder("parameter", "unknown");
        // and histograms hold one value per live pair, coherence only where it was computed
        assertThat(r.scores().get(0).bins().get(9)).isEqualTo(1);
        assertThat(r.scores().get(0).bins().get(3)).isEqualTo(1);
        assertThat(r.scores()).filteredOn(h -> h.score().equals("accuracy")).singleElement()
                .extracting(QualityReport.Histogram::count).isEqualTo(0L);
        // and the superseded rejection is gone; alike reasons are grouped, each with an example
        assertThat(r.rejectionReasons()).extracting(QualityReport.Rejection::reason)
                .containsExactlyInAnyOrder("mentions unknown parameter …", "answer is too short");
        assertThat(r.rejectionReasons()).allSatisfy(x -> assertThat(x.examples()).singleElement()
                .extracting(QualityReport.Example::pairKey).isEqualTo("a.md#2#0"));
        assertThat(r.conflicts().pairs()).isEqualTo(1);
        assertThat(r.conflicts().items().get(0).flag()).isEqualTo("conflict: b.md says 5");
        // and the metadata of the one dataset record is complete but for nothing
        assertThat(r.metadataCompleteness().fields()).allSatisfy(f -> assertThat(f.share()).isEqualTo(1.0));
        // and latency runs from the document's ingest to its pairs
        assertThat(r.timing().documentsMeasured()).isEqualTo(1);
        assertThat(r.timing().toFirstPairMs().p50()).isEqualTo(100);
        assertThat(r.timing().toDatasetMs().max()).isEqualTo(400);
    }

    @Test
    void deletedDocumentsAndDatasetTombstonesDisappear() {
        ReportState state = new ReportState();
        state.document("a.md", document("a.md", DocumentStatus.INGESTED, 2, 1));
        state.datasetRecord("a.md#0#0", datasetRecord("a.md", null, null, 0));
        state.datasetRecord("a.md#0#1", datasetRecord("a.md", "F", null, 0));
        // When the document is deleted (tombstone) and one dataset record removed
        state.document("a.md", null);
        state.datasetRecord("a.md#0#0", null);
        QualityReport r = state.report(10);
        // Then
        assertThat(r.counts().documents()).isZero();
        assertThat(r.counts().dataset()).isEqualTo(1);
        assertThat(r.metadataCompleteness().fields()).filteredOn(f -> f.field().equals("feature name")).singleElement()
                .extracting(QualityReport.Field::share).isEqualTo(1.0);
        assertThat(r.metadataCompleteness().fields()).filteredOn(f -> f.field().equals("question type")).singleElement()
                .extracting(QualityReport.Field::present).isEqualTo(0L);
    }

    @Test
    void deadLettersAndIngestErrorsAreCountedByReasonAndTier() {
        ReportState state = new ReportState();
        state.deadLetter(Records.deadLetter("a.md#0", "fast", "output did not parse after 3 attempts", List.of("fast", "balanced")));
        state.deadLetter(Records.deadLetter("a.md#1", "quality", "output did not parse after 2 attempts", List.of("quality")));
        state.deadLetter(Records.deadLetter("b.md#0", "quality", "timed out", List.of("quality")));
        state.ingestError(Records.ingestError("x.csv", "CSV row 3 has 2 fields, header has 3"));
        state.ingestError(Records.ingestError("y.csv", "CSV row 9 has 1 fields, header has 4"));
        QualityReport r = state.report(10);
        assertThat(r.deadLetters().count()).isEqualTo(3);
        assertThat(r.deadLetters().open()).isEqualTo(3);
        assertThat(r.deadLetters().byReason().get(0)).isEqualTo(
                new QualityReport.Group("output did not parse after N attempts", 2, 0, 0));
        assertThat(r.deadLetters().byTier()).extracting(QualityReport.Group::name).containsExactly("fast", "quality");
        assertThat(r.deadLetters().recent().get(0).chunkId()).isEqualTo("b.md#0");
        assertThat(r.ingestErrors().byReason()).singleElement()
                .isEqualTo(new QualityReport.Group("CSV row N has N fields, header has N", 2, 0, 0));
    }

    @Test
    void aReDrivenDeadLetterStaysCountedButIsNoLongerOpenUntilItFailsAgain() {
        ReportState state = new ReportState();
        state.deadLetter(Records.deadLetter("a.md#0", "quality", "timed out", List.of("quality")));
        state.deadLetter(Records.deadLetter("a.md#1", "quality", "timed out", List.of("quality")));
        state.deadLetterRedriven("a.md#0");
        state.deadLetterRedriven("a.md#1");
        state.deadLetter(Records.deadLetter("a.md#1", "quality", "timed out again", List.of("quality")));

        QualityReport r = state.report(10);
        assertThat(r.deadLetters().count()).isEqualTo(3);
        assertThat(r.deadLetters().open()).isEqualTo(1);
        assertThat(HtmlReport.render(r)).contains("2 re-driven since").contains("1 not re-driven");
    }

    @Test
    void recordsTheStagesSetAsideAreCountedPerDeadLetterTopicWithTheNewestFirst() {
        ReportState state = new ReportState();
        assertThat(state.report(0).stageDeadLetters().byTopic()).extracting(QualityReport.Group::name)
                .containsExactly("router.dlq", "scoring.dlq", "sink.dlq", "coverage.dlq");

        state.stageDeadLetter("scoring.dlq", "generation.pairs-0@3", "SerializationException: Unknown magic byte!", 10);
        state.stageDeadLetter("sink.dlq", "scoring.scored-2@9", "IllegalStateException: artifact reference cannot be null", 20);
        state.stageDeadLetter("scoring.dlq", "generation.pairs-1@4", "SerializationException: Unknown magic byte!", 30);

        QualityReport.StageDeadLetters d = state.report(40).stageDeadLetters();
        assertThat(d.count()).isEqualTo(3);
        assertThat(d.byTopic()).extracting(QualityReport.Group::pairs).containsExactly(0L, 2L, 1L, 0L);
        assertThat(d.recent()).extracting(QualityReport.StageDeadLetter::source)
                .containsExactly("generation.pairs-1@4", "scoring.scored-2@9", "generation.pairs-0@3");
        assertThat(HtmlReport.render(state.report(40))).contains("Set aside by the stages",
                "data-metric=\"stageDeadLetters\" data-value=\"3\"", "generation.pairs-1@4");
    }

    @Test
    void peoplesDecisionsAreCountedWhileTheyStillMatchTheirPair() {
        // Given four scored pairs, and people's decisions on them: accept, edit, reject, reject
        ReportState state = new ReportState();
        for (int slot = 0; slot < 5; slot++) {
            String key = "a.md#0#" + slot;
            state.scored(key, scored(pair(key, "a.md", "fast", "m1", "v1", null, 1_000, false), 0.5, null, slot == 1,
                    List.of(), List.of(), 1_100));
        }
        state.decision("a.md#0#0", Records.decision("a.md#0#0", ReviewVerdict.ACCEPTED));
        state.decision("a.md#0#1", Records.decision("a.md#0#1", ReviewVerdict.EDITED));
        state.decision("a.md#0#2", Records.decision("a.md#0#2", ReviewVerdict.REJECTED));
        state.decision("a.md#0#3", Records.decision("a.md#0#3", ReviewVerdict.REJECTED));
        // and one decision withdrawn (undo), one on a pair since regenerated with other text
        state.decision("a.md#0#4", Records.decision("a.md#0#4", ReviewVerdict.ACCEPTED));
        state.decision("a.md#0#4", null);
        QaPair regenerated = pair("a.md#0#3", "a.md", "fast", "m1", "v2", null, 1_200, false);
        regenerated.setQuestion("Which value does X.y take?");
        state.scored("a.md#0#3", scored(regenerated, 0.5, null, false, List.of(), List.of(), 1_300));

        // When the report is made
        QualityReport r = state.report(2_000);

        // Then three pairs count as reviewed by a person: one accepted, one edited, one rejected; the decision on
        // the regenerated pair is outdated
        assertThat(r.review()).isEqualTo(new QualityReport.Review(3, 1, 1, 1, 1));
        assertThat(HtmlReport.render(r)).contains("data-metric=\"reviewed\" data-value=\"3\"",
                "1 edited, 1 rejected");
    }

    @Test
    void reasonsGroupWithoutTheirParticulars() {
        assertThat(Reasons.group("answer is too long (340 words, at most 300)")).isEqualTo("answer is too long");
        assertThat(Reasons.group("near-duplicate of lte/a.md#1#0")).isEqualTo("near-duplicate of …");
        assertThat(Reasons.group("question does not end with '?'")).isEqualTo("question does not end with '?'");
        assertThat(Reasons.group("file is 100.0 MB, larger than the 50 MB limit (ingest.max-file-mb)"))
                .isEqualTo("file is N MB, larger than the N MB limit");
        assertThat(Reasons.group(null)).isEqualTo("(no reason given)");
    }
}
