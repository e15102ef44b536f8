package dev.qastream.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qastream.ingest.parse.Block;
import dev.qastream.ingest.parse.Fixtures;
import dev.qastream.ingest.parse.ParsedDocument;
import dev.qastream.ingest.parse.Section;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.Parameter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private static Chunk section(List<Chunk> chunks, String... path) {
        return chunks.stream().filter(c -> c.getSectionPath().equals(List.of(path))).findFirst().orElseThrow();
    }

    @Test
    void chunksFollowSectionsWithIdsPathAndDocumentInfo() throws Exception {
        // Given the TTI bundling fixture and a generous chunk size
        ParsedDocument doc = Fixtures.parse("ericsson/tti_bundling.md");

        // When it is chunked
        List<Chunk> chunks = new Chunker(512, 64).chunk(doc);

        // Then there is one chunk per section, numbered in order
        assertThat(chunks).hasSize(5);
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertThat(c.getOrdinal()).isEqualTo(i);
            assertThat(c.getChunkId()).isEqualTo("ericsson/tti_bundling.md#" + i);
            assertThat(c.getDocumentId()).isEqualTo("ericsson/tti_bundling.md");
            assertThat(c.getDocument().getFeatureName()).isEqualTo("Uplink TTI Bundling");
            assertThat(c.getDocument().getProductNumbers()).containsExactly("CXC4011234", "CXC4011235");
            assertThat(c.getText()).startsWith(String.join(" > ", c.getSectionPath()) + "\n\n");
            assertThat(c.getTokenEstimate()).isEqualTo((c.getText().length() + 3) / 4).isLessThanOrEqualTo(512);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(c.getText().getBytes(StandardCharsets.UTF_8)));
            assertThat(c.getChecksum()).isEqualTo(sha);
            assertThat(c.getComplexity()).isBetween(0.0, 1.0);
            assertThat(c.getPages()).isEmpty();
        }
    }

    @Test
    void parameterSectionCarriesParametersTermsAndQuality() {
        List<Chunk> chunks = new Chunker(512, 64).chunk(Fixtures.parse("ericsson/tti_bundling.md"));
        Chunk params = section(chunks, "Parameters");
        assertThat(params.getParameters()).extracting(Parameter::getName)
                .containsExactly("ttiBundlingUl", "ttiBundlingSwitchThres", "ttiBundlingHysteresis", "ttiBundlingAllowed");
        assertThat(params.getTerms().getTier1ExactParams()).contains(
                "EUtranCellFDD.ttiBundlingUl", "QciProfilePredefined.ttiBundlingAllowed");
        assertThat(params.getQuality().getParameterCount()).isEqualTo(4);
        assertThat(params.getQuality().getCompleteness()).isGreaterThan(0.9);

        Chunk counters = section(chunks, "Counters");
        assertThat(counters.getCounters()).containsExactly(
                "pmTtiBundlingUlActivations", "pmTtiBundlingUlDeactivations", "pmTtiBundlingUlTime");
        assertThat(counters.getQuality().getCounterCount()).isEqualTo(3);

        Chunk description = section(chunks, "Description");
        assertThat(description.getParameters()).isEmpty();
        assertThat(description.getTerms().getTier3NetworkElements()).contains("UE", "eNodeB", "RRC");
        assertThat(description.getTerms().getTier2ConfigTerms()).contains("uplink TTI bundling", "HARQ", "SINR");
        assertThat(description.getQuality().getCompleteness()).isEqualTo(1.0);
    }

    @Test
    void plainDescriptionScoresLowAndDenseParametersScoreHigh() {
        for (String fixture : List.of("ericsson/tti_bundling.md", "ericsson/carrier_aggregation.md", "ericsson/drx.md")) {
            List<Chunk> chunks = new Chunker(512, 64).chunk(Fixtures.parse(fixture));
            Chunk description = section(chunks, "Description");
            Chunk params = section(chunks, "Parameters");
            assertThat(description.getComplexity()).as(fixture + " description").isLessThan(0.3);
            assertThat(params.getComplexity()).as(fixture + " parameters").isGreaterThan(0.5);
            assertThat(params.getComplexity()).isGreaterThan(description.getComplexity());
        }
    }

    @Test
    void smallChunksNeverSplitParameterEntries() {
        ParsedDocument doc = Fixtures.parse("ericsson/drx.md");
        List<Chunk> chunks = new Chunker(80, 20).chunk(doc);
        Section params = doc.sections().stream().filter(s -> s.path().equals(List.of("Parameters"))).findFirst().orElseThrow();
        for (Block b : params.blocks()) {
            assertThat(chunks).anySatisfy(c -> assertThat(c.getText()).contains(b.text()));
        }
        for (Chunk c : chunks) {
            if (c.getTokenEstimate() > 80) {
                // only a single parameter entry or table row may exceed the limit
                assertThat(c.getParameters()).hasSize(1);
                assertThat(c.getText()).isEqualTo("Parameters\n\n" + params.blocks().stream().map(Block::text)
                        .filter(t -> c.getText().endsWith(t)).findFirst().orElseThrow());
            }
        }
    }

    @Test
    void consecutiveChunksOfASectionOverlap() {
        String para1 = "First sentence about the scheduler. It picks the UE with the best metric.";
        String para2 = "Second paragraph explains HARQ. Retransmissions come first in each slot.";
        String para3 = "Third paragraph is about DRX. Sleeping UEs are skipped by the scheduler.";
        ParsedDocument doc = new ParsedDocument("d.md", "markdown", info(), List.of(new Section(List.of("S"), List.of(
                new Block.Paragraph(para1, null), new Block.Paragraph(para2, null), new Block.Paragraph(para3, null)))));

        List<Chunk> chunks = new Chunker(30, 20).chunk(doc);

        assertThat(chunks).hasSize(3);
        assertThat(chunks.get(0).getText()).isEqualTo("S\n\n" + para1);
        // the next chunk starts with the tail of the previous one, cut at a sentence start
        assertThat(chunks.get(1).getText()).isEqualTo("S\n\nIt picks the UE with the best metric.\n\n" + para2);
        assertThat(chunks.get(2).getText()).isEqualTo("S\n\nRetransmissions come first in each slot.\n\n" + para3);
        assertThat(new Chunker(30, 0).chunk(doc).get(1).getText()).isEqualTo("S\n\n" + para2);
    }

    @Test
    void chunksNeverSpanSectionsOrOverlapAcrossThem() {
        ParsedDocument doc = new ParsedDocument("d.md", "markdown", info(), List.of(
                new Section(List.of("A"), List.of(new Block.Paragraph("alpha text", null))),
                new Section(List.of("A", "B"), List.of(new Block.Paragraph("beta text", 3), new Block.Paragraph("gamma", 4)))));
        List<Chunk> chunks = new Chunker(100, 50).chunk(doc);
        assertThat(chunks).extracting(Chunk::getText).containsExactly("A\n\nalpha text", "A > B\n\nbeta text\n\ngamma");
        assertThat(chunks.get(1).getPages()).containsExactly(3, 4);
    }

    @Test
    void rejectsBadSizes() {
        assertThatThrownBy(() -> new Chunker(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Chunker(10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Chunker(10, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void splitAndSuffixHelpers() {
        assertThat(Chunker.split("aaaa bbbb. cccc dddd", 12)).containsExactly("aaaa bbbb. ", "cccc dddd");
        assertThat(Chunker.split("abcdefghij", 4)).containsExactly("abcd", "efgh", "ij");
        assertThat(Chunker.suffixWithin("One two. Three four five", 15)).isEqualTo("Three four five");
        assertThat(Chunker.suffixWithin("One two three four five", 12)).isEqualTo("four five");
        assertThat(Chunker.suffixWithin("abcdefghijkl", 5)).isNull();
    }

    static DocumentInfo info() {
        return DocumentInfo.newBuilder().setTitle("T").setFeatureName("T").setProductNumbers(List.of())
                .setFeatureState(null).build();
    }
}
