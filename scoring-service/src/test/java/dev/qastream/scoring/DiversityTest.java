package dev.qastream.scoring;

import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class DiversityTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            What is the default value of EUtranCellFDD.ulPowerBoostEnabled?        | parameter
            How do I enable the uplink power boost on a cell?                      | procedure
            Why does the eNodeB boost the power of cell-edge UEs?                  | reasoning
            What is the difference between the boost offset and the threshold?    | comparison
            Handovers fail after enabling the boost; what should be checked?       | troubleshooting
            What does the Uplink Power Boost for Cell Edge feature do?             | factual
            """)
    void questionsAreClassifiedByTheirWording(String question, String type) {
        assertThat(QuestionTypes.classify(question)).isEqualTo(type);
    }

    @Test
    void theGeneratorsLabelWinsOverTheWording() {
        QaPair p = QaPair.newBuilder(Fixtures.pair(0, "Why is it so?", "Because.")).setQuestionType("comparison").build();
        assertThat(QuestionTypes.of(p)).isEqualTo("comparison");
    }

    @Test
    void varietyOfTypesAndOfVectorsRaisesTheScore() {
        // Given one document whose accepted pairs are all one type and point the same way
        Diversity same = new Diversity();
        Diversity varied = new Diversity();
        String[] questions = {"What is the default value of X?", "How do I enable X?", "Why does X exist?", "What does the F feature do?"};
        for (int i = 0; i < 4; i++) {
            same.record(accepted(i, questions[0]), new float[] {1, 0, 1, 0});
            float[] v = new float[4];
            v[i] = 1;
            varied.record(accepted(i, questions[i]), concat(v, v));
        }

        // Then the varied set scores higher, per document and overall, and the summary names the types
        assertThat(same.overall().score()).isLessThan(varied.overall().score());
        assertThat(same.overall().spread()).isEqualTo(0.0);
        assertThat(varied.perDocument().get("lte/boost.md").types()).containsEntry("procedure", 1).containsEntry("reasoning", 1);
        assertThat(varied.lines().get(0)).startsWith("diversity: ").contains("4 pairs");

        // and a pair written again as rejected stops counting
        varied.record(ScoredPair.newBuilder(accepted(0, questions[0])).setAccepted(false).build(), new float[0]);
        assertThat(varied.overall().pairs()).isEqualTo(3);
    }

    private static ScoredPair accepted(int slot, String question) {
        ScoredPair s = new PairScorer(new StructuralScorer(), AcceptancePolicy.defaults(), () -> 0L)
                .score(Fixtures.pair(slot, question, "An answer about EUtranCellFDD.ulPowerBoostEnabled."), Fixtures.chunk());
        return ScoredPair.newBuilder(s).setAccepted(true).build();
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = new float[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
