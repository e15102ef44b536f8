package dev.qastream.scoring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FactCheckerTest {
    private final FactChecker checker = new FactChecker();

    private FactCheck check(String q, String a) {
        return checker.check(q, a, Fixtures.chunk(), Catalogue.EMPTY);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            What is the default value of EUtranCellFDD.ulPowerBoostEnabled? | The default value of EUtranCellFDD.ulPowerBoostEnabled is false (disabled).
            Is the uplink power boost on by default?                         | No. EUtranCellFDD.ulPowerBoostEnabled is disabled by default, so the boost stays off until an operator enables it.
            What is the default of ulPowerBoostRsrpThreshold?                | It defaults to -110 dBm.
            What range does EUtranCellFDD.ulPowerBoostMaxOffset accept?      | EUtranCellFDD.ulPowerBoostMaxOffset accepts values from 0 to 10 dB; the default is 3 dB.
            Which MO class holds ulPowerBoostMaxOffset?                      | The parameter ulPowerBoostMaxOffset belongs to the EUtranCellFDD MO class.
            How often does the eNodeB evaluate the RSRP?                     | The eNodeB evaluates the RSRP every 200 ms.
            """)
    void correctAnswersInVariedWordingsAgree(String q, String a) {
        // Given a correct answer in the template's or another wording / When checked
        FactCheck f = check(q, a);

        // Then nothing contradicts and accuracy is not lowered
        assertThat(f.reasons()).isEmpty();
        assertThat(f.accuracy()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void wrongDefaultIsAContradictionNamingBothSides() {
        FactCheck f = check("What is the default value of EUtranCellFDD.ulPowerBoostEnabled?",
                "The default value of EUtranCellFDD.ulPowerBoostEnabled is true (enabled).");
        assertThat(f.contradictions()).containsExactly(
                "answer says default true; the document says false (EUtranCellFDD.ulPowerBoostEnabled)");
        assertThat(f.accuracy()).isZero();
    }

    @Test
    void defaultStatedInOtherWordsIsCheckedToo() {
        FactCheck f = check("Which value does EUtranCellFDD.ulPowerBoostEnabled ship with?",
                "EUtranCellFDD.ulPowerBoostEnabled ships with true (enabled) as its default.");
        assertThat(f.contradictions()).singleElement().asString().startsWith("answer says default true; the document says false");
    }

    @Test
    void wrongNumericDefaultIsAContradiction() {
        FactCheck f = check("What is the default of ulPowerBoostRsrpThreshold?", "By default the threshold is -100 dBm.");
        assertThat(f.contradictions()).singleElement().asString()
                .startsWith("answer says default -100 dBm; the document says -110");
    }

    @Test
    void wrongRangeIsAContradiction() {
        FactCheck f = check("What are the valid values of EUtranCellFDD.ulPowerBoostMaxOffset?",
                "The valid values of EUtranCellFDD.ulPowerBoostMaxOffset are 0 to 20 (unit: dB).");
        assertThat(f.contradictions()).containsExactly(
                "answer says range 0 to 20; the document says 0 to 10 (EUtranCellFDD.ulPowerBoostMaxOffset)");
    }

    @Test
    void wrongMoClassIsAContradiction() {
        FactCheck f = check("Which MO class does the parameter ulPowerBoostMaxOffset belong to?",
                "The parameter ulPowerBoostMaxOffset belongs to the ENodeBFunction MO class.");
        assertThat(f.contradictions()).containsExactly(
                "answer says MO class ENodeBFunction; the document says EUtranCellFDD (EUtranCellFDD.ulPowerBoostMaxOffset)");
    }

    @Test
    void wrongUnitIsAContradiction() {
        FactCheck f = check("What is the default value of EUtranCellFDD.ulPowerBoostRsrpThreshold?",
                "The default value of EUtranCellFDD.ulPowerBoostRsrpThreshold is -110 dB.");
        assertThat(f.contradictions()).containsExactly(
                "answer says unit dB; the document says dBm (EUtranCellFDD.ulPowerBoostRsrpThreshold)");
    }

    @Test
    void answerAboutAnotherParameterIsAContradiction() {
        FactCheck f = check("What is the default value of EUtranCellFDD.ulPowerBoostMaxOffset?",
                "The default value of EUtranCellFDD.ulPowerBoostRsrpThreshold is -110 dBm.");
        assertThat(f.contradictions()).first().asString().startsWith(
                "answer is about EUtranCellFDD.ulPowerBoostRsrpThreshold, but the question asks about EUtranCellFDD.ulPowerBoostMaxOffset");
    }

    @Test
    void numbersAndUnitsTheDocumentNeverGivesLowerAccuracy() {
        FactCheck f = check("How often does the eNodeB evaluate the RSRP?", "The eNodeB evaluates the RSRP every 250 ms.");
        FactCheck unit = check("How often does the eNodeB evaluate the RSRP?", "The eNodeB evaluates the RSRP every 200 Hz.");
        assertThat(f.reasons()).containsExactly("answer states 250, a number the document does not give");
        assertThat(f.accuracy()).isZero();
        assertThat(unit.reasons()).containsExactly("answer gives a value in Hz, a unit the document does not use");
    }

    @Test
    void conflictingDefaultsAcrossDocumentsAreFlagged() {
        // Given another document stating a different default for the same parameter
        Catalogue catalogue = Catalogue.of(java.util.List.of(Fixtures.chunk(), Fixtures.chunk("nr/boost.md", "x",
                "text", java.util.List.of(Fixtures.param("ulPowerBoostMaxOffset", "offset", "0 to 6", "2", "dB")))));

        FactCheck f = checker.check("What is the default value of EUtranCellFDD.ulPowerBoostMaxOffset?",
                "The default value of EUtranCellFDD.ulPowerBoostMaxOffset is 3 dB.", Fixtures.chunk(), catalogue);

        // Then the pair is not rejected for it, but flagged naming both documents, once per kind of conflict
        assertThat(f.contradictions()).isEmpty();
        assertThat(f.flags()).containsExactly(
                "conflict: EUtranCellFDD.ulPowerBoostMaxOffset default is 3 in lte/boost.md but 2 in nr/boost.md",
                "conflict: EUtranCellFDD.ulPowerBoostMaxOffset range is 0 to 10 in lte/boost.md but 0 to 6 in nr/boost.md");
    }
}
