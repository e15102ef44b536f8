package dev.qastream.scoring;

import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.schemas.TermTiers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RejectionReasonsTest {

    @Test
    void freeTextReasonsFallIntoFewCategories() {
        assertThat(category(null, "answer says default true; the document says false (EUtranCellFDD.ttiBundlingUl)"))
                .isEqualTo("fact-contradiction");
        assertThat(category(null, "contains instruction text addressed to a model: \"ignore previous instructions\""))
                .isEqualTo("instruction-text");
        assertThat(category(null, "answer states 42, a number the document does not give")).isEqualTo("unsupported-value");
        assertThat(category(null, "pair is off the corpus domain (domain relevance 0.12)")).isEqualTo("off-topic");
        assertThat(category(null, "overall score 0.61 is below the threshold 0.75")).isEqualTo("low-score");
        assertThat(category("doc.md#0#1", "near-duplicate")).isEqualTo("duplicate");
        assertThat(category(null, "something nobody foresaw")).isEqualTo("other");
    }

    private static String category(String duplicateOf, String reason) {
        QaPair pair = QaPair.newBuilder().setPairKey("doc.md#0#0").setChunkId("doc.md#0").setDocumentId("doc.md")
                .setSlot(0).setQuestion("q?").setAnswer("a").setTier("fast").setBackend("b").setModel("m")
                .setPromptVersion("p").setChunkChecksum("c").setGeneratedAtMs(0).build();
        return RejectionReasons.category(ScoredPair.newBuilder().setPair(pair).setStructural(0).setOverall(0)
                .setAccepted(false).setReasons(List.of(reason)).setDuplicateOf(duplicateOf)
                .setDocument(DocumentInfo.newBuilder().build()).setTerms(TermTiers.newBuilder().build())
                .setScoredAtMs(0).build());
    }
}
