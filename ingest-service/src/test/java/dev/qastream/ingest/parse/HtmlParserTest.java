package dev.qastream.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qastream.schemas.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlParserTest {

    private static ParsedDocument html(String s) throws UnreadableDocumentException {
        return DocumentParsers.parse("docs/feature.html", s.getBytes(StandardCharsets.UTF_8));
    }

    private static final String PAGE = """
      <!DOCTYPE html>
      <html><head><title>Idle Mode Paging</title>
        <meta name="doctitle" content="Idle Mode Paging Optimisation">
        <meta name="product" content="CXC4019999, CXC4019998">
        <meta name="feature-state" content="Basic">
        <style>body { color: red }</style><script>var x = "<h1>not a heading</h1>";</script>
      </head><body>
        <nav><a href="/">Home</a></nav>
        <h2>Description</h2>
        <p>The MME pages a UE in its
           tracking area list when downlink data arrives.</p>
        <div>Loose text in a div.<span> More loose text.</span></div>
        <h3>Paging Escalation</h3>
        <p>Paging starts in the last seen cell, then widens.</p>
        <h2>Parameters</h2>
        <ul>
          <li><b>PagingFunction.pagingDiscardTimer</b>: Time after which an unanswered page is dropped
            <ul><li>MO Class: PagingFunction</li><li>Valid Values: 1 to 100</li><li>Default: 10</li><li>Unit: s</li></ul>
          </li>
          <li>An ordinary list item</li>
        </ul>
        <table>
          <thead><tr><th>Parameter</th><th>MO Class</th><th>Default</th><th>Description</th></tr></thead>
          <tbody>
            <tr><td>maxPagingRecords</td><td>PagingFunction</td><td>16</td><td>Highest number of records per message</td></tr>
          </tbody>
        </table>
        <h2>Counters</h2>
        <table>
          <tr><th>Counter</th><th>Meaning</th></tr>
          <tr><td>pmPagingDiscarded</td><td>Pages dropped</td></tr>
        </table>
        <pre>paging:
        drx: 128</pre>
        <dl><dt>PagingFunction.pagingRetries</dt><dd>How often a page is repeated</dd></dl>
      </body></html>
      """;

    @Test
    void metadataComesFromMetaTags() throws Exception {
        ParsedDocument doc = html(PAGE);
        assertThat(doc.format()).isEqualTo("html");
        assertThat(doc.info().getTitle()).isEqualTo("Idle Mode Paging Optimisation");
        assertThat(doc.info().getFeatureName()).isEqualTo("Idle Mode Paging Optimisation");
        assertThat(doc.info().getProductNumbers()).containsExactly("CXC4019999", "CXC4019998");
        assertThat(doc.info().getFeatureState()).isEqualTo("Basic");
    }

    @Test
    void headingsMakeSectionsAndScriptsAreIgnored() throws Exception {
        ParsedDocument doc = html(PAGE);
        assertThat(doc.sections()).extracting(Section::path).containsExactly(
                List.of("Description"), List.of("Description", "Paging Escalation"), List.of("Parameters"), List.of("Counters"));
        assertThat(doc.sections().get(0).blocks()).extracting(Block::text).containsExactly(
                "The MME pages a UE in its tracking area list when downlink data arrives.",
                "Loose text in a div. More loose text.");
        assertThat(doc.sections()).allSatisfy(s -> assertThat(s.blocks()).noneMatch(b -> b.text().contains("not a heading")
                || b.text().contains("Home")));
    }

    @Test
    void parameterListsAndTablesBecomeParameters() throws Exception {
        List<Block> blocks = html(PAGE).sections().get(2).blocks();
        assertThat(blocks).hasSize(3);
        Parameter p = ((Block.ParameterEntry) blocks.get(0)).parameter();
        assertThat(p.getMoClass()).isEqualTo("PagingFunction");
        assertThat(p.getName()).isEqualTo("pagingDiscardTimer");
        assertThat(p.getDescription()).isEqualTo("Time after which an unanswered page is dropped");
        assertThat(p.getValidValues()).isEqualTo("1 to 100");
        assertThat(p.getDefaultValue()).isEqualTo("10");
        assertThat(p.getUnit()).isEqualTo("s");
        assertThat(blocks.get(0).text()).isEqualTo("""
        - PagingFunction.pagingDiscardTimer: Time after which an unanswered page is dropped
          - MO Class: PagingFunction
          - Valid Values: 1 to 100
          - Default: 10
          - Unit: s""");
        assertThat(blocks.get(1)).isInstanceOf(Block.ListItem.class);
        Parameter row = ((Block.ParameterEntry) blocks.get(2)).parameter();
        assertThat(row.getName()).isEqualTo("maxPagingRecords");
        assertThat(row.getDefaultValue()).isEqualTo("16");
        assertThat(blocks.get(2).text()).isEqualTo(
                "Parameter: maxPagingRecords | MO Class: PagingFunction | Default: 16 | Description: Highest number of records per message");
    }

    @Test
    void ordinaryTablesPreAndDefinitionLists() throws Exception {
        List<Block> blocks = html(PAGE).sections().get(3).blocks();
        assertThat(blocks.get(0)).isInstanceOf(Block.TableRow.class);
        Block.TableRow row = (Block.TableRow) blocks.get(0);
        assertThat(row.header()).containsExactly("Counter", "Meaning");
        assertThat(row.text()).isEqualTo("Counter: pmPagingDiscarded | Meaning: Pages dropped");
        assertThat(blocks.get(1).text()).startsWith("```\npaging:\n").endsWith("drx: 128\n```");
        assertThat(blocks.get(2)).isInstanceOf(Block.ParameterEntry.class);
        assertThat(((Block.ParameterEntry) blocks.get(2)).parameter().getName()).isEqualTo("pagingRetries");
    }

    @Test
    void fallbackTitleAndDoctitleLines() throws Exception {
        ParsedDocument doc = html("<html><head><title>Page Title</title></head><body>"
                + "<p>DOCTITLE: Written Title<br>Feature State: Obsolete</p><h1>First</h1><p>x</p></body></html>");
        assertThat(doc.info().getTitle()).isEqualTo("Written Title");
        assertThat(doc.info().getFeatureState()).isEqualTo("Obsolete");
        assertThat(doc.sections()).hasSize(1);

        ParsedDocument plain = html("<html><head><title>Page Title</title></head><body><h1>First</h1><p>x</p></body></html>");
        assertThat(plain.info().getTitle()).isEqualTo("Page Title");
        assertThat(plain.info().getFeatureName()).isEqualTo("First");
    }

    @Test
    void parameterLeadInsideAParagraphOfTheListItem() throws Exception {
        ParsedDocument doc = html("<h2>Parameters</h2><ul><li><p><strong>NRCellDU.ssbPeriodicity</strong>: Period of SSB bursts</p>"
                + "<ul><li>Default: 20</li><li>Unit: ms</li></ul></li></ul>");
        Parameter p = ((Block.ParameterEntry) doc.sections().get(0).blocks().get(0)).parameter();
        assertThat(p.getMoClass()).isEqualTo("NRCellDU");
        assertThat(p.getDescription()).isEqualTo("Period of SSB bursts");
        assertThat(p.getUnit()).isEqualTo("ms");
    }
}
