package dev.qastream.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qastream.schemas.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvParserTest {

    private static ParsedDocument csv(String name, String s) throws UnreadableDocumentException {
        return DocumentParsers.parse(name, s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eachRowIsATableRowNamedByTheHeader() throws Exception {
        ParsedDocument doc = csv("sim/bler_results.csv", "snr;mcs;bler\n3.0;10;0.92\n3.5;10;0.41\n\n4.0;10;0.02\n");
        assertThat(doc.format()).isEqualTo("csv");
        assertThat(doc.info().getFeatureName()).isEqualTo("bler_results");
        assertThat(doc.info().getTitle()).isNull();
        assertThat(doc.sections()).hasSize(1);
        Section s = doc.sections().get(0);
        assertThat(s.path()).containsExactly("bler_results");
        assertThat(s.blocks()).hasSize(3).allMatch(b -> b instanceof Block.TableRow);
        Block.TableRow first = (Block.TableRow) s.blocks().get(0);
        assertThat(first.header()).containsExactly("snr", "mcs", "bler");
        assertThat(first.cells()).containsExactly("3.0", "10", "0.92");
        assertThat(first.text()).isEqualTo("snr: 3.0 | mcs: 10 | bler: 0.92");
    }

    @Test
    void quotedFieldsKeepDelimitersAndLineBreaks() throws Exception {
        ParsedDocument doc = csv("t.csv", "name,note\n\"a, b\",\"line one\nline two\"\n");
        Block.TableRow row = (Block.TableRow) doc.sections().get(0).blocks().get(0);
        assertThat(row.cells()).containsExactly("a, b", "line one\nline two");
    }

    @Test
    void parameterLikeHeaderMakesParameters() throws Exception {
        ParsedDocument doc = csv("params.csv", """
        Parameter,MO Class,Description,Valid Values,Default,Unit
        EUtranCellFDD.qRxLevMin,,Minimum required RX level in the cell,-140 to -44,-140,dBm
        sib3Period,SystemInfo,Broadcast period of SIB3,"8, 16, 32",16,frames
        """);
        List<Block> blocks = doc.sections().get(0).blocks();
        assertThat(blocks).hasSize(2).allMatch(b -> b instanceof Block.ParameterEntry);
        Parameter a = ((Block.ParameterEntry) blocks.get(0)).parameter();
        assertThat(a.getMoClass()).isEqualTo("EUtranCellFDD");
        assertThat(a.getName()).isEqualTo("qRxLevMin");
        assertThat(a.getUnit()).isEqualTo("dBm");
        Parameter b = ((Block.ParameterEntry) blocks.get(1)).parameter();
        assertThat(b.getValidValues()).isEqualTo("8, 16, 32");
        assertThat(b.getMoClass()).isEqualTo("SystemInfo");
    }

    @Test
    void raggedRowsAreErrorsNamingTheRow() {
        assertThatThrownBy(() -> csv("r.csv", "a,b,c\n1,2,3\n4,5\n"))
                .isInstanceOf(UnreadableDocumentException.class).hasMessage("CSV row 3 has 2 fields, header has 3");
        assertThatThrownBy(() -> csv("r.csv", "a,b,c\n1,2,3\n4,5,6\n1,2,3,4,5\n"))
                .hasMessage("CSV row 4 has 5 fields, header has 3");
    }

    @Test
    void malformedQuotingIsAnError() {
        assertThatThrownBy(() -> csv("q.csv", "a,b\n\"unterminated,2\n"))
                .isInstanceOf(UnreadableDocumentException.class)
                .hasMessage("CSV is malformed: a quoted field that starts on line 2 is never closed");
    }

    @Test
    void headerOnlyAndDelimiterSniffing() throws Exception {
        // a header alone has nothing to ask about: an error, not a document without chunks
        assertThatThrownBy(() -> csv("h.csv", "a,b,c\n")).hasMessage("CSV has a header but no rows");
        assertThat(CsvParser.sniff("a;b;c\n1,5;2;3")).isEqualTo(';');
        assertThat(CsvParser.sniff("\"x;y\",b,c")).isEqualTo(',');
        assertThat(CsvParser.sniff("a\tb\tc")).isEqualTo('\t');
        assertThat(CsvParser.sniff("single")).isEqualTo(',');
    }

    @Test
    void aTableWiderThanTheColumnLimitIsRefusedBeforeItIsParsed() throws Exception {
        String wide = "c" + ",c".repeat(CsvParser.MAX_COLUMNS) + "\n";
        assertThatThrownBy(() -> csv("wide.csv", wide)).hasMessage("CSV has " + (CsvParser.MAX_COLUMNS + 1)
                + " columns in its first line, more than the " + CsvParser.MAX_COLUMNS + " a table may have");
        String widest = "c" + ",c".repeat(CsvParser.MAX_COLUMNS - 1) + "\n" + "1" + ",1".repeat(CsvParser.MAX_COLUMNS - 1);
        assertThat(csv("widest.csv", widest).sections()).hasSize(1);
    }
}
