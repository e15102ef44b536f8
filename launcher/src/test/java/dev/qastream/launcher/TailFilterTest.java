package dev.qastream.launcher;

import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.schemas.TermTiers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TailFilterTest {

    private static ScoredPair scored(String document, String tier, boolean accepted, List<String> reasons, boolean removed) {
        QaPair pair = QaPair.newBuilder().setPairKey(document + "#0#1").setChunkId(document + "#0").setDocumentId(document)
                .setSlot(1).setQuestion(removed ? "" : "What is the default of X.y?").setAnswer(removed ? "" : "It is 3.")
                .setTier(tier).setBackend("extractive").setModel("extractive").setPromptVersion("v1")
                .setChunkChecksum("c").setGeneratedAtMs(1).setRevision(7).setRemoved(removed).build();
        return ScoredPair.newBuilder().setPair(pair).setStructural(0.5).setOverall(accepted ? 0.9 : 0.4)
                .setAccepted(accepted).setReasons(reasons).setDocument(DocumentInfo.newBuilder().build())
                .setTerms(TermTiers.newBuilder().build()).setScoredAtMs(2).setFlags(List.of("conflict with other.md"))
                .build();
    }

    private final ScoredPair acceptedLte = scored("lte/uplink_power_boost.md", "fast", true, List.of(), false);
    private final ScoredPair rejectedTopLevel = scored("paging_load_control.md", "quality", false,
            List.of("answer does not mention the parameter"), false);
    private final ScoredPair removal = scored("lte/uplink_power_boost.md", "fast", false, List.of(), true);

    @Test
    void noFilterShowsEveryPairButNotRemovals() {
        assertThat(TailFilter.ALL.test(acceptedLte)).isTrue();
        assertThat(TailFilter.ALL.test(rejectedTopLevel)).isTrue();
        assertThat(TailFilter.ALL.test(removal)).isFalse();
    }

    @Test
    void documentGlobMatchesThePathOrTheFileName() {
        assertThat(new TailFilter("lte/*", null, null, null, false).test(acceptedLte)).isTrue();
        assertThat(new TailFilter("lte/*", null, null, null, false).test(rejectedTopLevel)).isFalse();
        assertThat(new TailFilter("*power*", null, null, null, false).test(acceptedLte)).isTrue();
        assertThat(new TailFilter("*paging*", null, null, null, false).test(acceptedLte)).isFalse();
        assertThat(new TailFilter("**/*.md", null, null, null, false).test(acceptedLte)).isTrue();
    }

    @Test
    void tierAndVerdictFilter() {
        assertThat(new TailFilter(null, "quality", null, null, false).test(rejectedTopLevel)).isTrue();
        assertThat(new TailFilter(null, "quality", null, null, false).test(acceptedLte)).isFalse();
        assertThat(new TailFilter(null, null, true, null, false).test(acceptedLte)).isTrue();
        assertThat(new TailFilter(null, null, true, null, false).test(rejectedTopLevel)).isFalse();
        assertThat(new TailFilter(null, null, false, null, false).test(rejectedTopLevel)).isTrue();
        assertThatThrownBy(() -> new TailFilter(null, "huge", null, null, false))
                .hasMessageContaining("unknown tier 'huge'");
    }

    @Test
    void reasonMatchesReasonsAndFlagsInAnyCase() {
        assertThat(new TailFilter(null, null, null, "DOES NOT MENTION", false).test(rejectedTopLevel)).isTrue();
        assertThat(new TailFilter(null, null, null, "conflict", false).test(acceptedLte)).isTrue();
        assertThat(new TailFilter(null, null, null, "too short", false).test(rejectedTopLevel)).isFalse();
    }

    @Test
    void removalsShowOnlyWhenAskedAndPassDocumentAndTierFiltersOnly() {
        assertThat(new TailFilter(null, null, null, null, true).test(removal)).isTrue();
        assertThat(new TailFilter("lte/*", "fast", true, "anything", true).test(removal)).isTrue();
        assertThat(new TailFilter("paging*", null, null, null, true).test(removal)).isFalse();
        assertThat(TailCommand.format(removal)).isEqualTo("REMOVED lte/uplink_power_boost.md#0#1 rev 7");
    }

    @Test
    void aJudgedPairShowsTheJudgesScoreBesideTheOverallOne() {
        ScoredPair judged = ScoredPair.newBuilder(acceptedLte).setJudge(0.75).build();
        assertThat(TailCommand.format(judged).lines().findFirst().orElseThrow()).endsWith(" (judge 0.75)");
        assertThat(TailCommand.format(acceptedLte)).doesNotContain("judge");
    }

    @Test
    void jsonLineHoldsTheCompactFields() {
        String json = TailCommand.json(rejectedTopLevel);
        assertThat(json).startsWith("{\"key\":\"paging_load_control.md#0#1\",\"accepted\":false,\"overall\":0.4,")
                .contains("\"tier\":\"quality\"", "\"documentId\":\"paging_load_control.md\"",
                        "\"question\":\"What is the default of X.y?\"", "\"reasons\":[\"answer does not mention the parameter\"]")
                .doesNotContain("\"removed\"");
    }
}
