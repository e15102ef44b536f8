package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.schemas.TermTiers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Scoring with the real embedding model: which facts a pair confirms, and what a confirmed fact is worth. */
class ConfirmedFactsScoringTest {
    private static final String FEATURE = "Idle Mode Load Balancing Distribution";
    private static final String HEADER = """
            DOCTITLE: Idle Mode Load Balancing Distribution
            Product: CXC4011373
            Feature State: Obsolete

            ## Description
            Idle Mode Load Balancing Distribution spreads camping UEs in idle mode over the carriers of a sector \
            by giving each UE a dedicated cell reselection priority at connection release, weighted by the \
            configured distribution of the carriers.
            """;

    @Test
    void aShortAnswerWhoseFactTheHeaderConfirmsIsAccepted() {
        try (ScoringDriver run = new ScoringDriver(ScoringSettings.defaults())) {
            Chunk chunk = headerChunk();
            run.send(chunk);
            run.send(pair(chunk, "What is the feature state of " + FEATURE + "?", "The feature is obsolete."));
            ScoredPair s = run.scored.readValue();
            assertThat(s.getAccepted()).as("%s overall %.2f coherence %s relevance %s reasons %s", s.getPair().getQuestion(),
                    s.getOverall(), s.getCoherence(), s.getRelevance(), s.getReasons()).isTrue();
            assertThat(s.getConfirmedFacts()).contains("idle/imlbd.md#0|feature.state|" + FEATURE);
        }
    }

    @Test
    void confirmedFactsNameTheValuesTheAnswerStatesAndTheSubjectsItNames() {
        try (ScoringDriver run = new ScoringDriver(ScoringSettings.defaults())) {
            run.send(Fixtures.chunk());
            run.send(Fixtures.pair(0, "What is the default value of EUtranCellFDD.ulPowerBoostEnabled?",
                    "The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled)."));
            ScoredPair s = run.scored.readValue();
            assertThat(s.getConfirmedFacts()).contains(
                    "lte/boost.md#0|parameter.default|EUtranCellFDD.ulPowerBoostEnabled",
                    "lte/boost.md#0|parameter.purpose|EUtranCellFDD.ulPowerBoostEnabled");
            assertThat(s.getConfirmedFacts()).noneMatch(id -> id.contains("ulPowerBoostMaxOffset"));

            run.send(Fixtures.pair(1, "What is the default value of EUtranCellFDD.ulPowerBoostMaxOffset?",
                    "The default value of EUtranCellFDD.ulPowerBoostMaxOffset is 5 dB."));
            ScoredPair wrong = run.scored.readValue();
            assertThat(wrong.getAccepted()).isFalse();
            assertThat(wrong.getConfirmedFacts()).doesNotContain("lte/boost.md#0|parameter.default|EUtranCellFDD.ulPowerBoostMaxOffset");
        }
    }

    static Chunk headerChunk() {
        return Chunk.newBuilder()
                .setChunkId("idle/imlbd.md#0").setDocumentId("idle/imlbd.md").setOrdinal(0)
                .setSectionPath(List.of("Description")).setText(HEADER).setChecksum("feed01").setTokenEstimate(90)
                .setComplexity(0.2)
                .setDocument(DocumentInfo.newBuilder().setTitle(FEATURE).setFeatureName(FEATURE)
                        .setProductNumbers(List.of("CXC4011373")).setFeatureState("Obsolete").build())
                .setTerms(TermTiers.newBuilder().setTier3NetworkElements(List.of("UE")).build())
                .setQuality(ChunkQuality.newBuilder().build())
                .build();
    }

    static QaPair pair(Chunk chunk, String question, String answer) {
        return QaPair.newBuilder()
                .setPairKey(chunk.getChunkId() + "#0").setChunkId(chunk.getChunkId()).setDocumentId(chunk.getDocumentId())
                .setSlot(0).setQuestion(question).setAnswer(answer).setTier("fast").setBackend("ollama")
                .setModel("qwen3:1.7b").setPromptVersion("qa-test").setChunkChecksum(chunk.getChecksum())
                .setGeneratedAtMs(1L).setRevision(3L).build();
    }
}
