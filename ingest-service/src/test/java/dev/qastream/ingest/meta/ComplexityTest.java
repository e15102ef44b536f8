package dev.qastream.ingest.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ComplexityTest {

    @Test
    void formulaWeightsAndSaturation() {
        assertThat(Complexity.score(0, 0, 0, 0, 0)).isZero();
        assertThat(Complexity.score(100, 100, 100, 100, 100_000)).isEqualTo(1.0);
        // 0.35 * 12.5/25 + 0.25 * 2/4 + 0.15 * 1/4 + 0.15 * (21-12)/18 + 0.10 * 400/800
        assertThat(Complexity.score(12.5, 2, 1, 21, 400))
                .isCloseTo(0.175 + 0.125 + 0.0375 + 0.075 + 0.05, within(1e-4));
    }

    @Test
    void averageSentenceWords() {
        assertThat(Complexity.averageSentenceWords("One two three. Four five! Six?")).isEqualTo(2.0);
        assertThat(Complexity.averageSentenceWords("a b\nc d e f")).isEqualTo(3.0);
        assertThat(Complexity.averageSentenceWords("version 1.2.3 is out")).isEqualTo(6.0);
        assertThat(Complexity.averageSentenceWords("")).isZero();
    }

    @Test
    void tokenEstimateIsCharsOverFourRoundedUp() {
        assertThat(TokenEstimator.estimate("")).isZero();
        assertThat(TokenEstimator.estimate("abcd")).isEqualTo(1);
        assertThat(TokenEstimator.estimate("abcde")).isEqualTo(2);
        assertThat(TokenEstimator.maxChars(10)).isEqualTo(40);
    }
}
