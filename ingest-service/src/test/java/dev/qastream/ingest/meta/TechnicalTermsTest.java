package dev.qastream.ingest.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qastream.schemas.TermTiers;
import java.util.List;
import org.junit.jupiter.api.Test;

class TechnicalTermsTest {

    private static TermTiers tiers(String text) {
        return TechnicalTerms.classify(text, List.of()).tiers();
    }

    @Test
    void classifiesIntoFourTiers() {
        TechnicalTerms.Result r = TechnicalTerms.classify(
                "Set EUtranCellFDD.ttiBundlingUl to true so the eNodeB enables TTI bundling for the UE; "
                        + "QoS of the GBR bearer is kept. The URLLC profile in OpenAirInterface is separate.",
                List.of());
        TermTiers t = r.tiers();
        assertThat(t.getTier1ExactParams()).containsExactly("EUtranCellFDD.ttiBundlingUl");
        assertThat(t.getTier2ConfigTerms()).containsExactly("TTI bundling", "QoS", "GBR", "bearer");
        assertThat(t.getTier3NetworkElements()).containsExactly("eNodeB", "UE");
        assertThat(t.getTier4RareTerms()).containsExactly("URLLC", "OpenAirInterface");
        assertThat(r.occurrences()).isEqualTo(9);
        assertThat(r.density()).isGreaterThan(20.0);
    }

    @Test
    void parsedParametersAreTierOneAndTheirBareNamesAreNotRareTerms() {
        TermTiers t = TechnicalTerms.classify("The caRsrpThreshold value is in dBm.",
                List.of("EUtranCellFDD.caRsrpThreshold")).tiers();
        assertThat(t.getTier1ExactParams()).containsExactly("EUtranCellFDD.caRsrpThreshold");
        assertThat(t.getTier4RareTerms()).isEmpty();
    }

    @Test
    void acronymsMatchOnlyWhenWrittenWithCapitals() {
        assertThat(tiers("the ue ran a mac").getTier3NetworkElements()).isEmpty();
        assertThat(tiers("UEs and gNBs use RAN and MAC").getTier3NetworkElements())
                .containsExactly("UE", "gNB", "RAN", "MAC");
        assertThat(tiers("QOS and Qos").getTier2ConfigTerms()).containsExactly("QoS");
    }

    @Test
    void phrasesMatchCaseInsensitivelyAndLongestFirst() {
        TermTiers t = tiers("Carrier Aggregation and carrier aggregation; uplink TTI bundling; several handovers; TTI length");
        assertThat(t.getTier2ConfigTerms()).containsExactly("carrier aggregation", "uplink TTI bundling", "handover", "TTI");
    }

    @Test
    void hyphenatedTermsAndParts() {
        TermTiers t = tiers("The S-GW and the gNB-DU; an eNodeB-based design with non-GBR traffic over CSI-RS");
        assertThat(t.getTier3NetworkElements()).containsExactly("S-GW", "gNB-DU", "eNodeB");
        assertThat(t.getTier2ConfigTerms()).containsExactly("non-GBR", "CSI-RS");
    }

    @Test
    void rareTermsSkipStopWordsUnitsCountersAndPaths() {
        TermTiers t = tiers("NOTE: see README.md, 20 MHz at -90 dBm; pmRrcConnEstabSucc rises; the 3GPP spec and EUtranCellFDD. "
                + "See doc/README.md and https://example.org/Foo.bar");
        assertThat(t.getTier4RareTerms()).containsExactly("3GPP", "EUtranCellFDD");
        assertThat(t.getTier1ExactParams()).isEmpty();
    }

    @Test
    void countsWords() {
        TechnicalTerms.Result r = TechnicalTerms.classify("plain words only here", List.of());
        assertThat(r.words()).isEqualTo(4);
        assertThat(r.occurrences()).isZero();
        assertThat(r.density()).isZero();
        assertThat(TechnicalTerms.classify("", List.of()).density()).isZero();
    }
}
