package dev.qastream.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qastream.ingest.parse.Block;
import dev.qastream.ingest.parse.ParsedDocument;
import dev.qastream.ingest.parse.Section;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: for random documents and chunk sizes, the chunks' pieces minus overlap reproduce every
 * block's text exactly once, in order; overlap repeats only the end of the previous chunk of the same
 * section; chunks respect the size limit unless they are one oversize parameter entry or table row.
 */
class ChunkerPropertyTest {

    private static final String[] WORDS = {"UE", "gNB", "the", "scheduler", "assigns", "PRB", "to", "each", "slot",
            "HARQ", "retransmission", "EUtranCellFDD.ttiBundlingUl", "pmDrxSleepTime", "value", "é", "😀", "x"};
    private static final String[] ENDS = {" ", " ", " ", ". ", "\n", ", ", "  ", "? "};

    @Test
    void chunkingNeitherLosesNorDuplicatesText() {
        for (long seed = 0; seed < 1500; seed++) {
            Random r = new Random(seed);
            ParsedDocument doc = randomDocument(r);
            int maxTokens = 4 + r.nextInt(r.nextBoolean() ? 40 : 300);
            int overlap = r.nextInt(maxTokens);
            check(doc, new Chunker(maxTokens, overlap), maxTokens, "seed " + seed + " max " + maxTokens + " overlap " + overlap);
        }
    }

    @Test
    void fixturesChunkWithoutLossAtAnySize() {
        Random r = new Random(42);
        for (String fixture : List.of("ericsson/tti_bundling.md", "ericsson/carrier_aggregation.md", "ericsson/drx.md")) {
            ParsedDocument doc = dev.qastream.ingest.parse.Fixtures.parse(fixture);
            for (int i = 0; i < 200; i++) {
                int maxTokens = 4 + r.nextInt(300);
                int overlap = r.nextInt(maxTokens);
                check(doc, new Chunker(maxTokens, overlap), maxTokens, fixture + " max " + maxTokens + " overlap " + overlap);
            }
        }
    }

    private static void check(ParsedDocument doc, Chunker chunker, int maxTokens, String what) {
        List<Chunker.Planned> plan = chunker.plan(doc);
        List<Chunk> chunks = chunker.chunk(doc);
        assertThat(chunks).as(what).hasSize(plan.size());

        // reassemble each section's blocks from the non-overlap pieces
        List<List<StringBuilder>> rebuilt = new ArrayList<>();
        for (Section s : doc.sections()) {
            List<StringBuilder> blocks = new ArrayList<>();
            s.blocks().forEach(b -> blocks.add(new StringBuilder()));
            rebuilt.add(blocks);
        }
        int lastSection = -1;
        int lastBlock = -1;
        String previousContent = null;
        for (int i = 0; i < plan.size(); i++) {
            Chunker.Planned p = plan.get(i);
            Chunk c = chunks.get(i);
            assertThat(c.getText()).as(what).isEqualTo(p.text());
            assertThat(c.getOrdinal()).isEqualTo(i);
            assertThat(c.getChunkId()).isEqualTo(doc.documentId() + "#" + i);
            assertThat(c.getSectionPath()).isEqualTo(doc.sections().get(p.section()).path());
            assertThat(p.pieces()).as(what + " chunk without new text").anyMatch(x -> !x.overlap());
            if (p.section() != lastSection) {
                assertThat(p.section()).as(what + " sections in order").isGreaterThan(lastSection);
                lastSection = p.section();
                lastBlock = -1;
                previousContent = null;
                assertThat(p.pieces().get(0).overlap()).as(what + " overlap across sections").isFalse();
            }
            // overlap pieces come first and are exactly the end of the previous chunk's content
            StringBuilder overlapText = new StringBuilder();
            boolean seenNew = false;
            for (Chunker.Piece piece : p.pieces()) {
                if (piece.overlap()) {
                    assertThat(seenNew).as(what + " overlap after new text").isFalse();
                    overlapText.append(overlapText.isEmpty() ? "" : "\u0000").append(piece.text());
                } else {
                    seenNew = true;
                    assertThat(piece.block()).as(what + " blocks in order").isGreaterThanOrEqualTo(lastBlock);
                    lastBlock = piece.block();
                    rebuilt.get(p.section()).get(piece.block()).append(piece.text());
                }
            }
            if (!overlapText.isEmpty()) {
                assertThat(previousContent).as(what + " overlap without previous chunk").isNotNull();
                assertThat(previousContent).as(what).endsWith(overlapText.toString());
            }
            previousContent = String.join("\u0000", p.pieces().stream().map(Chunker.Piece::text).toList());

            boolean singleOversize = p.pieces().size() == 1 && !p.pieces().get(0).splittable();
            if (!singleOversize) {
                assertThat(c.getTokenEstimate()).as(what + " size of chunk " + i).isLessThanOrEqualTo(maxTokens);
            }
        }
        for (int s = 0; s < doc.sections().size(); s++) {
            List<Block> blocks = doc.sections().get(s).blocks();
            for (int b = 0; b < blocks.size(); b++) {
                assertThat(rebuilt.get(s).get(b).toString()).as(what + " section " + s + " block " + b)
                        .isEqualTo(blocks.get(b).text());
            }
        }
    }

    private static ParsedDocument randomDocument(Random r) {
        List<Section> sections = new ArrayList<>();
        int n = 1 + r.nextInt(5);
        for (int s = 0; s < n; s++) {
            List<String> path = new ArrayList<>();
            int depth = r.nextInt(3);
            for (int d = 0; d < depth; d++) {
                path.add(text(r, 1 + r.nextInt(r.nextInt(10) == 0 ? 60 : 4), false));
            }
            List<Block> blocks = new ArrayList<>();
            int m = 1 + r.nextInt(8);
            for (int b = 0; b < m; b++) {
                int words = 1 + r.nextInt(r.nextInt(5) == 0 ? 400 : 40);
                String t = r.nextInt(15) == 0 ? "x".repeat(1 + r.nextInt(900)) : text(r, words, true);
                Integer page = r.nextBoolean() ? null : 1 + r.nextInt(9);
                blocks.add(switch (r.nextInt(4)) {
                    case 0 -> new Block.Paragraph(t, page);
                    case 1 -> new Block.ListItem("- " + t, page);
                    case 2 -> new Block.ParameterEntry("- A.p" + b + ": " + t,
                            Parameter.newBuilder().setName("p" + b).setMoClass("A").build(), page);
                    default -> new Block.TableRow("Col: " + t, List.of("Col"), List.of(t), page);
                });
            }
            sections.add(new Section(path, blocks));
        }
        return new ParsedDocument("random/doc.md", "markdown", ChunkerTest.info(), sections);
    }

    private static String text(Random r, int words, boolean punctuation) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            sb.append(WORDS[r.nextInt(WORDS.length)]);
            if (i < words - 1) {
                sb.append(punctuation ? ENDS[r.nextInt(ENDS.length)] : " ");
            }
        }
        return sb.toString().strip();
    }
}
