package dev.qastream.launcher;

import dev.qastream.schemas.DocumentCoverage;
import dev.qastream.schemas.KindCoverage;
import dev.qastream.schemas.UncoveredFact;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CoverageViewTest {
    static DocumentCoverage doc(String id, int facts, int covered, List<UncoveredFact> uncovered) {
        return DocumentCoverage.newBuilder().setDocumentId(id).setFacts(facts).setCovered(covered)
                .setKinds(List.of(KindCoverage.newBuilder().setKind("parameter.default").setFacts(facts).setCovered(covered).build()))
                .setUncovered(uncovered).setAcceptedPairs(covered).setDiversity(0.85).setFollowUps(1).build();
    }

    @Test
    void printsOverallPerKindPerDocumentAndEachUncoveredFactWithWhy() {
        UncoveredFact wrong = UncoveredFact.newBuilder().setFactId("lte/a.md#1|parameter.default|Mo.p").setKind("parameter.default")
                .setSubject("Mo.p").setValue("3").setText("the default value of Mo.p").setReason("answered wrongly")
                .setDetail("lte/a.md#1#0: answer says 5; the document says 3").build();
        List<DocumentCoverage> docs = List.of(doc("lte/b.md", 2, 2, List.of()), doc("lte/a.md", 4, 3, List.of(wrong)));

        List<String> all = CoverageView.render(docs, false);
        assertThat(all.get(0)).contains("5 of 6 facts in 2 documents", "83%");
        assertThat(String.join("\n", all)).contains("parameter.default", "lte/a.md", "lte/b.md",
                "the default value of Mo.p (3): answered wrongly - lte/a.md#1#0: answer says 5; the document says 3");
        assertThat(String.join("\n", all).indexOf("lte/a.md")).isLessThan(String.join("\n", all).indexOf("lte/b.md"));

        List<String> gaps = CoverageView.render(docs, true);
        assertThat(gaps).noneMatch(l -> l.startsWith("lte/b.md"));
        assertThat(gaps).anyMatch(l -> l.startsWith("lte/a.md"));
        assertThat(CoverageView.render(List.of(), false).get(0)).startsWith("no coverage yet");
    }

    @Test
    void theBatchSummaryShowsCoverageFromTheStagesMeters() {
        var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        assertThat(BatchCommand.coverageLine(meters)).contains("no facts yet");
        var metrics = new dev.qastream.scoring.coverage.CoverageMetrics(meters);
        metrics.document("lte/a.md", doc("lte/a.md", 4, 3, List.of()));
        metrics.document("lte/b.md", doc("lte/b.md", 6, 4, List.of()));
        metrics.followUp("lte/a.md#0", 1);
        assertThat(BatchCommand.coverageLine(meters)).contains("7 of 10 facts covered (70%)", "diversity 0.85", "1 follow-up");
    }

    @Test
    void statusShowsTheFactsCovered() {
        var snapshot = new dev.qastream.launcher.status.Snapshot(0, "here", 2, 4, 10, 10, 8, 8, 0, 0, 0, java.util.Map.of(),
                java.util.Map.of(), java.util.Map.of(), java.util.Map.of(), 10, 7);
        assertThat(dev.qastream.launcher.status.StatusView.render(snapshot, null))
                .anySatisfy(l -> assertThat(l).startsWith("facts covered").contains("70%", "of 10 facts"));
    }
}
