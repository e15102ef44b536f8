package dev.qastream.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qastream.schemas.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainTextParserTest {

    private static ParsedDocument text(String name, String s) throws UnreadableDocumentException {
        return DocumentParsers.parse(name, s.getBytes(StandardCharsets.UTF_8));
    }

    private static final String SPEC = """
      Foreword
      This text is before any clause.

      5\tRadio Resource Control
      5.3\tConnection control
      5.3.1\tIntroduction
      The UE and the network exchange messages.
      Wrapped line of the same paragraph.

      5.3.1.2\tSecurity activation
      NOTE:\tSecurity is activated before data radio bearers.

      -\tfirst item
      -\tsecond item
      \tcontinued second item

      5.4\tMeasurements
      Measurement text.

      Annex A (informative):
      Change history
      A.1\tEarly versions
      Old text.
      """;

    @Test
    void clauseNumbersMakeNestedSections() throws Exception {
        ParsedDocument doc = text("ts_38331_excerpt.txt", SPEC);
        assertThat(doc.format()).isEqualTo("3gpp-text");
        assertThat(doc.sections()).extracting(Section::path).containsExactly(
                List.of(),
                List.of("5 Radio Resource Control", "5.3 Connection control", "5.3.1 Introduction"),
                List.of("5 Radio Resource Control", "5.3 Connection control", "5.3.1 Introduction", "5.3.1.2 Security activation"),
                List.of("5 Radio Resource Control", "5.4 Measurements"),
                List.of("Annex A (informative): Change history", "A.1 Early versions"));
        assertThat(doc.info().getFeatureName()).isEqualTo("5 Radio Resource Control");
        assertThat(doc.sections().get(1).blocks()).extracting(Block::text)
                .containsExactly("The UE and the network exchange messages.\nWrapped line of the same paragraph.");
        List<Block> security = doc.sections().get(2).blocks();
        assertThat(security).extracting(Block::text).containsExactly(
                "NOTE:\tSecurity is activated before data radio bearers.", "-\tfirst item", "-\tsecond item\n\tcontinued second item");
        assertThat(security.get(1)).isInstanceOf(Block.ListItem.class);
    }

    @Test
    void clauseHeadingRules() {
        assertThat(PlainTextParser.clauseHeading("5.3.1.2\tSecurity activation")).isEqualTo("5.3.1.2 Security activation");
        assertThat(PlainTextParser.clauseHeading("A.1 Early versions")).isEqualTo("A.1 Early versions");
        assertThat(PlainTextParser.clauseHeading("3.5 dB is the margin")).isNull();
        assertThat(PlainTextParser.clauseHeading("1. Install the package")).isNull();
        assertThat(PlainTextParser.clauseHeading("2 The sentence goes on and ends.")).isNull();
        assertThat(PlainTextParser.clauseHeading("A Title")).isNull();
        assertThat(PlainTextParser.clauseHeading("Annex B (normative): Tables")).isEqualTo("Annex B (normative): Tables");
    }

    @Test
    void parameterEntriesInPlainText() throws Exception {
        ParsedDocument doc = text("params.txt", """
        DOCTITLE: Plain Feature
        Feature State: Basic

        EUtranCellTDD.subframeAssignment: Uplink-downlink subframe configuration
          MO Class: EUtranCellTDD
          Valid Values: 0 to 6
          Default: 1

        A paragraph about the feature.
        """);
        assertThat(doc.format()).isEqualTo("text");
        assertThat(doc.info().getTitle()).isEqualTo("Plain Feature");
        List<Block> blocks = doc.sections().get(0).blocks();
        Parameter p = ((Block.ParameterEntry) blocks.get(0)).parameter();
        assertThat(p.getMoClass()).isEqualTo("EUtranCellTDD");
        assertThat(p.getName()).isEqualTo("subframeAssignment");
        assertThat(p.getValidValues()).isEqualTo("0 to 6");
        assertThat(p.getDefaultValue()).isEqualTo("1");
        assertThat(blocks.get(1)).isInstanceOf(Block.Paragraph.class);
    }

    @Test
    void aWrappedDescriptionIsKeptWholeAndAFileNameIsNoParameter() throws Exception {
        ParsedDocument doc = text("wrapped.txt", """
        DOCTITLE: Plain Feature

        EUtranCellTDD.specialSubframePattern: Special subframe configuration, as
          defined in TS 36.211
          Default: 7

        Callbacks.c: definition of the callbacks
        """);
        List<Block> blocks = doc.sections().get(0).blocks();
        Parameter p = ((Block.ParameterEntry) blocks.get(0)).parameter();
        assertThat(p.getDescription()).isEqualTo("Special subframe configuration, as defined in TS 36.211");
        assertThat(p.getDefaultValue()).isEqualTo("7");
        assertThat(blocks.get(1)).as("a file name is not a parameter").isNotInstanceOf(Block.ParameterEntry.class);
    }

    @Test
    void otherTextFormatsAreSplitIntoParagraphsOnly() throws Exception {
        ParsedDocument doc = text("cu.conf", """
        Active_gNBs = ( "cu-1");

        1 Not a clause heading in a config file
        gNBs = ({ gNB_ID = 0xe00; });
        """);
        assertThat(doc.format()).isEqualTo("text");
        assertThat(doc.sections()).hasSize(1);
        assertThat(doc.sections().get(0).path()).isEmpty();
        assertThat(doc.sections().get(0).blocks()).hasSize(2);
        assertThat(doc.info().getFeatureName()).isEqualTo("cu");
        assertThat(doc.info().getTitle()).isNull();
    }

    @Test
    void crlfLineEnds() throws Exception {
        ParsedDocument doc = text("w.txt", "1\tScope\r\nText one.\r\n\r\n2\tReferences\r\nText two.\r\n");
        assertThat(doc.sections()).extracting(Section::path).containsExactly(List.of("1 Scope"), List.of("2 References"));
        assertThat(doc.sections().get(0).blocks().get(0).text()).isEqualTo("Text one.");
    }
}
