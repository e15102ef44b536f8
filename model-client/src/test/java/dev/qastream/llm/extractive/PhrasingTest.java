package dev.qastream.llm.extractive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PhrasingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Controls whether TTI bundling is used in uplink.           | X.p controls whether TTI bundling is used in uplink.
            This parameter sets the timer for bundling. Used in FDD.   | X.p sets the timer for bundling. Used in FDD.
            The offset added to the uplink power                       | X.p is the offset added to the uplink power.
            Integer parameter giving the offset in dB                  | X.p is an integer parameter giving the offset in dB.
            TTI bundling switch                                        | X.p is a TTI bundling switch.
            If false, all messages are discarded.                      | For X.p, if false, all messages are discarded.
            For FDD cells only                                         | X.p applies for FDD cells only.
            Whether bearers of this QCI may use bundling               | X.p determines whether bearers of this QCI may use bundling.
            Used to select the uplink power control loop               | X.p is used to select the uplink power control loop.
            add the thread ID                                          | X.p adds the thread ID.
            adds the (source code) line number                         | X.p adds the (source code) line number.
            disable color usage in log messages                        | X.p disables color usage in log messages.
            apply the offset to every cell                             | X.p applies the offset to every cell.
            limit the number of retries                                | X.p limits the number of retries.
            limit for the number of retries                            | X.p is the limit for the number of retries.
            set the timer for bundling                                 | X.p sets the timer for bundling.
            Refers to the UL/DL slots periodicity for the TDD pattern  | X.p refers to the UL/DL slots periodicity for the TDD pattern.
            this is the number of PUCCH format 0 missed                | X.p is the number of PUCCH format 0 missed.
            can be used to define PRBs that should not be used         | X.p can be used to define PRBs that should not be used.
            overwrites any seed for random number generators           | X.p overwrites any seed for random number generators.
            required by all softmodems to assign a higher priority     | X.p is required by all softmodems to assign a higher priority.
            OAI tries to lock all its virtual address space into RAM   | For X.p, OAI tries to lock all its virtual address space into RAM.
            use RLC UM instead of RLC AM on default DRBs               | X.p uses RLC UM instead of RLC AM on default DRBs.
            count of dropped packets                                   | X.p is the count of dropped packets.
            See the following list.                                    | ''
            Boolean                                                    | ''
            """)
    void parameterDescriptionsBecomeSentencesAboutTheParameter(String description, String expected) {
        // Given a parameter description in one of the shapes seen in feature documents
        // When phrased about parameter X.p
        String sentence = Phrasing.describe("X.p", description, false);

        // Then it is one grammatical sentence naming the parameter (a bare type says nothing: empty)
        assertThat(sentence).isEqualTo(expected == null ? "" : expected);
    }

    @Test
    void meaningsAreReadFromParenthesesOrEqualsLists() {
        // Given valid values written in the two common styles / When looking up a default's meaning
        // Then the meaning is found case-insensitively, and absent when the list does not explain the value
        assertThat(Phrasing.meaningOf("false (disabled), true (enabled)", "FALSE")).contains("disabled");
        assertThat(Phrasing.meaningOf("0 = off, 1 = on (low power)", "1")).contains("on (low power)");
        assertThat(Phrasing.meaningOf("0..100", "5")).isEmpty();
        assertThat(Phrasing.defaultWithMeaning("1.", "0 = off, 1 = on", "ms")).isEqualTo("1 ms (on)");
        // A "default" that says there is none, or is a misplaced description, is not stated as a value
        assertThat(Phrasing.defaultWithMeaning("Mandatory", null, null)).isEmpty();
        assertThat(Phrasing.field(" - ")).isEmpty();
        assertThat(Phrasing.defaultWithMeaning("Ensures secure communication between the UE and the network by matching keys",
                null, null)).isEmpty();
    }

    @Test
    void sentencesDoNotBreakOnAbbreviationsOrDecimals() {
        // Given prose with "e.g." and a decimal / When split / Then only real sentence ends split
        assertThat(Prose.sentences("Some UEs, e.g. Category M1, use it. The gain is 2.5 dB. Done!"))
                .containsExactly("Some UEs, e.g. Category M1, use it.", "The gain is 2.5 dB.", "Done!");
    }

    @Test
    void overviewSkipsAsidesFragmentsAndPointersToMissingLists() {
        // Given a Description that opens with a note, is broken by a code block, and ends pointing at a list
        String text = """
                ## Description
                Note: this applies to FDD only.
                The feature shortens the paging cycle for UEs in poor coverage.
                ```
                pagingCycle = 32
                ```
                to reduce the paging delay.
                The following values are supported:
                - 32
                ## Parameters
                The parameter list.
                """;

        // When the overview is read
        String overview = ChunkText.overview(text);

        // Then only the self-contained sentence remains
        assertThat(overview).isEqualTo("The feature shortens the paging cycle for UEs in poor coverage.");
    }
}
