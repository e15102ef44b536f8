package dev.qastream.scoring;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-process model as scoring uses it: a text's vector depends on the text alone, never on the texts embedded
 * with it (scores must not depend on which pairs arrived together), and a batch comes back in the order asked.
 */
class MiniLmEmbedderTest {
    private static final String TEXT = "The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled).";

    @Test
    void aTextsVectorIsTheSameAloneAndAmongOtherTextsOfAnyLength() {
        Embedder model = MiniLmEmbedder.shared();
        float[] alone = model.embed(List.of(TEXT)).getFirst();

        List<String> batch = new ArrayList<>();
        batch.add("Why?");
        batch.add("The eNodeB evaluates the RSRP every 200 ms, and ".repeat(20) + "then it decides.");
        batch.add(TEXT);
        batch.add("What is the valid range of EUtranCellFDD.ulPowerBoostRsrpThreshold?");
        List<float[]> vectors = model.embed(batch);

        assertThat(vectors).hasSize(batch.size());
        assertThat(vectors.get(2)).containsExactly(alone);
        for (int i = 0; i < batch.size(); i++) {
            assertThat(vectors.get(i)).containsExactly(model.embed(List.of(batch.get(i))).getFirst());
        }
        assertThat(Vectors.cosine(vectors.get(0), vectors.get(3))).isLessThan(0.99); // not one vector for all
    }

    @Test
    void vectorsAreOfUnitLengthAndABlankTextStillGetsOne() {
        List<float[]> vectors = MiniLmEmbedder.shared().embed(List.of(TEXT, " "));
        for (float[] v : vectors) {
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }
}
