package dev.qastream.launcher.bench;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.Parameter;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.schemas.TermTiers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ValueFactCoverageTest {
    private static final Chunk CHUNK = Chunk.newBuilder().setChunkId("drx.md#1").setDocumentId("drx.md").setOrdinal(1)
            .setText("t").setChecksum("c").setTokenEstimate(1).setComplexity(0.5)
            .setDocument(DocumentInfo.newBuilder().build()).setTerms(TermTiers.newBuilder().build())
            .setQuality(ChunkQuality.newBuilder().build())
            .setParameters(List.of(
                    Parameter.newBuilder().setMoClass("EUtranCellTDD").setName("defaultPagingCycle")
                            .setDefaultValue("128").setValidValues("32, 64, 128, 256").setUnit("radio frames").build(),
                    Parameter.newBuilder().setMoClass("EUtranCellTDD").setName("nB").setDefaultValue("oneT")
                            .setValidValues("-").build()))
            .build();

    @Test
    void everyStatedValueOfAParameterIsAFactAndAnAcceptedAnswerStatingItCoversIt() {
        // Given a chunk of two parameters, the second without valid values or unit
        Map<String, List<ValueFactCoverage.Fact>> inventory = ValueFactCoverage.inventory(List.of(CHUNK));

        // Then its facts are each stated value, with ids of the focus form
        assertThat(inventory.get("drx.md#1")).extracting(ValueFactCoverage.Fact::id).containsExactly(
                "drx.md#1|parameter.default|EUtranCellTDD.defaultPagingCycle",
                "drx.md#1|parameter.values|EUtranCellTDD.defaultPagingCycle",
                "drx.md#1|parameter.unit|EUtranCellTDD.defaultPagingCycle",
                "drx.md#1|parameter.mo-class|EUtranCellTDD.defaultPagingCycle",
                "drx.md#1|parameter.default|EUtranCellTDD.nB",
                "drx.md#1|parameter.mo-class|EUtranCellTDD.nB");

        // When one accepted pair states the first default with its unit, and a rejected one the second default
        var covered = ValueFactCoverage.covered(inventory, List.of(
                scored("The default value of EUtranCellTDD.defaultPagingCycle is 128 radio frames.", true, List.of()),
                scored("The default value of EUtranCellTDD.nB is oneT.", false, List.of())));

        // Then the accepted pair covers the default, the unit and the MO class it states, the rejected one nothing
        assertThat(covered).containsExactlyInAnyOrder(
                "drx.md#1|parameter.default|EUtranCellTDD.defaultPagingCycle",
                "drx.md#1|parameter.unit|EUtranCellTDD.defaultPagingCycle",
                "drx.md#1|parameter.mo-class|EUtranCellTDD.defaultPagingCycle");
        // and once the scorer confirms facts itself, its word is taken instead
        assertThat(ValueFactCoverage.covered(inventory, List.of(scored("Anything.", true,
                List.of("drx.md#1|parameter.values|EUtranCellTDD.defaultPagingCycle")))))
                .containsExactly("drx.md#1|parameter.values|EUtranCellTDD.defaultPagingCycle");
    }

    private static ScoredPair scored(String answer, boolean accepted, List<String> confirmed) {
        QaPair pair = QaPair.newBuilder().setPairKey("drx.md#1#0").setChunkId("drx.md#1").setDocumentId("drx.md").setSlot(0)
                .setQuestion("q?").setAnswer(answer).setTier("fast").setBackend("b").setModel("m").setPromptVersion("v")
                .setChunkChecksum("c").setGeneratedAtMs(1).build();
        return ScoredPair.newBuilder().setPair(pair).setStructural(1).setOverall(accepted ? 0.9 : 0.2).setAccepted(accepted)
                .setDocument(DocumentInfo.newBuilder().build()).setTerms(TermTiers.newBuilder().build())
                .setScoredAtMs(1).setConfirmedFacts(confirmed).build();
    }
}
