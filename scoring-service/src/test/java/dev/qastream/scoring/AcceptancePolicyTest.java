package dev.qastream.scoring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AcceptancePolicyTest {

    @Test
    void withoutSemanticScoresOverallIsTheStructuralScore() {
        // Given the default policy / When only the structural score is known
        AcceptancePolicy policy = AcceptancePolicy.defaults();

        // Then overall equals it exactly, and the threshold 0.75 is inclusive
        assertThat(policy.threshold()).isEqualTo(0.75);
        assertThat(policy.overall(0.75, null, null, null)).isEqualTo(0.75);
        assertThat(policy.accepts(0.75)).isTrue();
        assertThat(policy.accepts(0.7499)).isFalse();
    }

    @Test
    void allScoresAreWeightedThreeFourThree() {
        // Given structural 1.0, coherence 0.6, relevance 0.8 (semantic 0.7) and accuracy 0.5
        AcceptancePolicy policy = AcceptancePolicy.defaults();

        // When combined
        double overall = policy.overall(1.0, 0.6, 0.8, 0.5);

        // Then 0.3 * 1.0 + 0.4 * 0.7 + 0.3 * 0.5 = 0.73
        assertThat(overall).isCloseTo(0.73, within(1e-9));
        assertThat(policy.accepts(overall)).isFalse();
    }

    @Test
    void missingScoresDropOutAndTheRestAreRenormalised() {
        // Given a policy and only structural plus coherence known
        AcceptancePolicy policy = new AcceptancePolicy(0.75);

        // When combined
        double overall = policy.overall(1.0, 0.5, null, null);

        // Then (0.3 * 1.0 + 0.4 * 0.5) / 0.7
        assertThat(overall).isCloseTo(0.5 / 0.7, within(1e-9));
    }

    @Test
    void thresholdIsConfigurableAndValidated() {
        // Given a stricter threshold / Then a structural 0.8 is no longer enough
        AcceptancePolicy strict = new AcceptancePolicy(0.9);
        assertThat(strict.accepts(strict.overall(0.8, null, null, null))).isFalse();
        assertThatThrownBy(() -> new AcceptancePolicy(1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
