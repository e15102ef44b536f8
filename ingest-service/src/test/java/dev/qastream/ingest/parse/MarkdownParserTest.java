package dev.qastream.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qastream.schemas.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownParserTest {

    private static List<Parameter> parameters(ParsedDocument doc) {
        return doc.sections().stream().flatMap(s -> s.blocks().stream())
                .filter(b -> b instanceof Block.ParameterEntry).map(b -> ((Block.ParameterEntry) b).parameter()).toList();
    }

    private static Section section(ParsedDocument doc, String... path) {
        return doc.sections().stream().filter(s -> s.path().equals(List.of(path))).findFirst()
                .orElseThrow(() -> new AssertionError("no section " + List.of(path) + " in " + doc.sections().stream().map(Section::path).toList()));
    }

    private static ParsedDocument md(String text) throws UnreadableDocumentException {
        return DocumentParsers.parse("docs/x.md", text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void headerLinesBecomeDocumentInfoAndNotContent() {
        // Given an Ericsson-style feature document
        ParsedDocument doc = Fixtures.parse("ericsson/tti_bundling.md");

        // Then the header lines are its metadata
        assertThat(doc.format()).isEqualTo("markdown");
        assertThat(doc.documentId()).isEqualTo("ericsson/tti_bundling.md");
        assertThat(doc.info().getTitle()).isEqualTo("Uplink TTI Bundling");
        assertThat(doc.info().getFeatureName()).isEqualTo("Uplink TTI Bundling");
        assertThat(doc.info().getProductNumbers()).containsExactly("CXC4011234", "CXC4011235");
        assertThat(doc.info().getFeatureState()).isEqualTo("Optional");
        // and no block repeats them
        assertThat(doc.sections()).allSatisfy(s -> assertThat(s.blocks()).noneMatch(b -> b.text().contains("DOCTITLE")));
    }

    @Test
    void sectionsFollowTheHeadings() {
        ParsedDocument doc = Fixtures.parse("ericsson/tti_bundling.md");
        assertThat(doc.sections()).extracting(Section::path).containsExactly(
                List.of("Description"), List.of("Dependencies"), List.of("Parameters"), List.of("Counters"),
                List.of("Engineering Guidelines"));
        assertThat(section(doc, "Description").blocks()).hasSize(2).allMatch(b -> b instanceof Block.Paragraph);

        ParsedDocument ca = Fixtures.parse("ericsson/carrier_aggregation.md");
        assertThat(ca.sections()).extracting(Section::path).contains(
                List.of("Feature Operation", "Secondary Cell Configuration"),
                List.of("Feature Operation", "Secondary Cell Activation"), List.of("KPIs"));
    }

    @Test
    void parameterListEntriesBecomeParameters() {
        ParsedDocument doc = Fixtures.parse("ericsson/tti_bundling.md");
        Section params = section(doc, "Parameters");

        assertThat(params.blocks()).hasSize(4).allMatch(b -> b instanceof Block.ParameterEntry);
        Parameter first = ((Block.ParameterEntry) params.blocks().get(0)).parameter();
        assertThat(first.getMoClass()).isEqualTo("EUtranCellFDD");
        assertThat(first.getName()).isEqualTo("ttiBundlingUl");
        assertThat(first.getDescription()).isEqualTo("Switches uplink TTI bundling on or off in the cell");
        assertThat(first.getValidValues()).isEqualTo("false (off), true (on)");
        assertThat(first.getDefaultValue()).isEqualTo("false");
        assertThat(first.getUnit()).isNull();

        Parameter threshold = ((Block.ParameterEntry) params.blocks().get(1)).parameter();
        assertThat(threshold.getUnit()).isEqualTo("dB");
        assertThat(threshold.getValidValues()).isEqualTo("-10 to 20");

        // no MO Class line: the MO class comes from the dotted name
        Parameter hysteresis = ((Block.ParameterEntry) params.blocks().get(2)).parameter();
        assertThat(hysteresis.getMoClass()).isEqualTo("EUtranCellFDD");
        assertThat(hysteresis.getName()).isEqualTo("ttiBundlingHysteresis");
        assertThat(hysteresis.getDefaultValue()).isEqualTo("2");
    }

    @Test
    void parameterEntryTextKeepsTheWholeEntry() {
        ParsedDocument doc = Fixtures.parse("ericsson/tti_bundling.md");
        Block entry = section(doc, "Parameters").blocks().get(0);
        assertThat(entry.text()).isEqualTo("""
        - EUtranCellFDD.ttiBundlingUl: Switches uplink TTI bundling on or off in the cell
          - MO Class: EUtranCellFDD
          - Valid Values: false (off), true (on)
          - Default: false""");
        assertThat(entry.page()).isNull();
    }

    @Test
    void parameterTableRowsBecomeParameters() {
        ParsedDocument doc = Fixtures.parse("ericsson/carrier_aggregation.md");
        List<Block> rows = section(doc, "Parameters").blocks();
        assertThat(rows).hasSize(4).allMatch(b -> b instanceof Block.ParameterEntry);
        Parameter p = ((Block.ParameterEntry) rows.get(0)).parameter();
        assertThat(p.getName()).isEqualTo("caRsrpThreshold");
        assertThat(p.getMoClass()).isEqualTo("EUtranCellFDD");
        assertThat(p.getValidValues()).isEqualTo("-140 to -44");
        assertThat(p.getDefaultValue()).isEqualTo("-110");
        assertThat(p.getUnit()).isEqualTo("dBm");
        assertThat(p.getDescription()).startsWith("RSRP a candidate carrier");
        assertThat(rows.get(0).text()).isEqualTo("Parameter: caRsrpThreshold | MO Class: EUtranCellFDD | Description: "
                + "RSRP a candidate carrier must exceed to be configured as SCell | Range: -140 to -44 | Default: -110 | Unit: dBm");
        assertThat(((Block.ParameterEntry) rows.get(3)).parameter().getUnit()).isNull();
    }

    @Test
    void allThreeFixturesHaveTheirParameters() {
        assertThat(parameters(Fixtures.parse("ericsson/tti_bundling.md"))).hasSize(4);
        assertThat(parameters(Fixtures.parse("ericsson/carrier_aggregation.md"))).hasSize(4);
        List<Parameter> drx = parameters(Fixtures.parse("ericsson/drx.md"));
        assertThat(drx).hasSize(4).allSatisfy(p -> {
            assertThat(p.getMoClass()).isEqualTo("DrxProfile");
            assertThat(p.getValidValues()).isNotBlank();
            assertThat(p.getDefaultValue()).isNotBlank();
        });
        assertThat(Fixtures.parse("ericsson/drx.md").info().getFeatureState()).isEqualTo("Obsolete");
    }

    @Test
    void ordinaryTablesBecomeRowsNamedByHeader() throws Exception {
        ParsedDocument doc = md("""
        # Bands

        | Band | Duplex | Uplink (MHz) |
        |------|--------|--------------|
        | n78  | TDD    | 3300-3800    |
        | n3   | FDD    | 1710-1785    |
        """);
        List<Block> blocks = doc.sections().get(0).blocks();
        assertThat(blocks).hasSize(2).allMatch(b -> b instanceof Block.TableRow);
        Block.TableRow row = (Block.TableRow) blocks.get(0);
        assertThat(row.header()).containsExactly("Band", "Duplex", "Uplink (MHz)");
        assertThat(row.cells()).containsExactly("n78", "TDD", "3300-3800");
        assertThat(row.text()).isEqualTo("Band: n78 | Duplex: TDD | Uplink (MHz): 3300-3800");
    }

    @Test
    void featureNameFallsBackToFirstHeadingThenFileName() throws Exception {
        ParsedDocument withHeading = md("Intro text.\n\n# Scheduler Guide\n\nBody.\n");
        assertThat(withHeading.info().getFeatureName()).isEqualTo("Scheduler Guide");
        assertThat(withHeading.info().getTitle()).isEqualTo("Scheduler Guide");
        assertThat(withHeading.sections().get(0).path()).isEmpty();

        ParsedDocument none = DocumentParsers.parse("a/b/radio_notes.md", "Just a paragraph.".getBytes(StandardCharsets.UTF_8));
        assertThat(none.info().getFeatureName()).isEqualTo("radio_notes");
        assertThat(none.info().getTitle()).isNull();
        assertThat(none.info().getProductNumbers()).isEmpty();
    }

    @Test
    void listsCodeAndInlineMarkupAreRenderedAsPlainText() throws Exception {
        ParsedDocument doc = md("""
        # Setup

        Run the [gNB](https://example.org/gnb) with **care** and `--sa` ![diagram](x.png).

        1. Build
           - with tests
        2. Run

        ```bash
        ./nr-softmodem -O gnb.conf
        ```

        [[_TOC_]]
        """);
        List<Block> blocks = doc.sections().get(0).blocks();
        assertThat(blocks).extracting(Block::text).containsExactly(
                "Run the gNB with care and `--sa` .",
                "1. Build\n  - with tests",
                "2. Run",
                "```bash\n./nr-softmodem -O gnb.conf\n```");
        assertThat(blocks.get(1)).isInstanceOf(Block.ListItem.class);
    }

    @Test
    void boldLedProseIsNotAParameter() throws Exception {
        ParsedDocument doc = md("""
        # Notes

        - **Note** that the cell must be locked first.
        - **Static TDD**: supported
        - **GNBDUFunction.enableX**: Turns X on
        """);
        List<Block> blocks = doc.sections().get(0).blocks();
        assertThat(blocks.get(0)).isInstanceOf(Block.ListItem.class);
        assertThat(blocks.get(1)).isInstanceOf(Block.ListItem.class);
        assertThat(blocks.get(2)).isInstanceOf(Block.ParameterEntry.class);
    }

    @Test
    void parameterEntryWithFieldLinesInOneParagraph() throws Exception {
        ParsedDocument doc = md("""
        ## Parameters

       **NRCellDU.ssbPeriodicity**: Period of SSB bursts
        MO Class: NRCellDU
        Default: 20
        Unit: ms
        """);
        Block b = doc.sections().get(0).blocks().get(0);
        assertThat(b).isInstanceOf(Block.ParameterEntry.class);
        Parameter p = ((Block.ParameterEntry) b).parameter();
        assertThat(p.getMoClass()).isEqualTo("NRCellDU");
        assertThat(p.getName()).isEqualTo("ssbPeriodicity");
        assertThat(p.getDefaultValue()).isEqualTo("20");
        assertThat(p.getUnit()).isEqualTo("ms");
    }

    @Test
    void configOptionListsWithInlineDefaultsBecomeParameters() throws Exception {
        ParsedDocument doc = md("""
        ## Scheduler options

        - `max_ul_retx` (default 4): how many times an uplink block is resent
        - `cell_power_dbm`: transmit power of the cell
        - `UE ID` (here `17`): identifier printed per line
        - `nr-softmodem`: the executable
        - `oaioran.c`: definition of xran-specific callback functions
        """);
        List<Block> blocks = doc.sections().get(0).blocks();
        Parameter retx = ((Block.ParameterEntry) blocks.get(0)).parameter();
        assertThat(retx.getName()).isEqualTo("max_ul_retx");
        assertThat(retx.getMoClass()).isNull();
        assertThat(retx.getDefaultValue()).isEqualTo("4");
        assertThat(retx.getDescription()).isEqualTo("how many times an uplink block is resent");
        assertThat(((Block.ParameterEntry) blocks.get(1)).parameter().getDescription()).isEqualTo("transmit power of the cell");
        assertThat(blocks.get(2)).isInstanceOf(Block.ListItem.class);
        assertThat(blocks.get(3)).isInstanceOf(Block.ListItem.class);
        assertThat(blocks.get(4)).as("a file name is not a parameter").isInstanceOf(Block.ListItem.class);
    }

    @Test
    void aDescriptionWrappedOverSeveralLinesIsKeptWhole() throws Exception {
        // Given option entries whose descriptions wrap, as in the scheduler and RRC option lists of the corpus
        ParsedDocument doc = md("""
        ## TDD pattern

        - `nrofDownlinkSymbols`: Indicates the number of consecutive DL symbols within
          the special slot that follows the downlink slots in the TDD pattern. The
          maximum number of symbols in this slot is 14.
        - `enable_sdap` (default: false): enable the use of the SDAP layer. If
          deactivated, a transparent SDAP header is prepended to packets.
        - **NRCellDU.ssbPeriodicity**: Period of SSB bursts,
          counted in milliseconds
          Default: 20
        """);
        List<Block> blocks = doc.sections().get(0).blocks();

        // Then each description is the whole sentence, not its first line, and field lines still end it
        assertThat(((Block.ParameterEntry) blocks.get(0)).parameter().getDescription()).isEqualTo(
                "Indicates the number of consecutive DL symbols within the special slot that follows the downlink slots"
                        + " in the TDD pattern. The maximum number of symbols in this slot is 14.");
        Parameter sdap = ((Block.ParameterEntry) blocks.get(1)).parameter();
        assertThat(sdap.getDescription()).isEqualTo(
                "enable the use of the SDAP layer. If deactivated, a transparent SDAP header is prepended to packets.");
        assertThat(sdap.getDefaultValue()).isEqualTo("false");
        Parameter ssb = ((Block.ParameterEntry) blocks.get(2)).parameter();
        assertThat(ssb.getDescription()).isEqualTo("Period of SSB bursts, counted in milliseconds");
        assertThat(ssb.getDefaultValue()).isEqualTo("20");
    }

    @Test
    void windowsLineEndings() throws Exception {
        ParsedDocument doc = md("DOCTITLE: Crlf Feature\r\nFeature State: Basic\r\n\r\n## Parameters\r\n\r\n"
                + "- **Cell.maxUes**: Highest number of UEs\r\n  - Default: 100\r\n");
        assertThat(doc.info().getTitle()).isEqualTo("Crlf Feature");
        assertThat(doc.info().getFeatureState()).isEqualTo("Basic");
        Parameter p = ((Block.ParameterEntry) doc.sections().get(0).blocks().get(0)).parameter();
        assertThat(p.getMoClass()).isEqualTo("Cell");
        assertThat(p.getDefaultValue()).isEqualTo("100");
    }
}
