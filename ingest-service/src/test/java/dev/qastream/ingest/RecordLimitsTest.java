package dev.qastream.ingest;

import dev.qastream.ingest.chunk.Chunker;
import dev.qastream.ingest.parse.DocumentParsers;
import dev.qastream.schemas.Chunk;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A document whose records could not be written to Kafka is refused with its reason, before anything is written. */
class RecordLimitsTest {

    private static List<Chunk> chunks(String id, String text, int maxTokens) throws Exception {
        return new Chunker(maxTokens, 0).chunk(DocumentParsers.parse(id, text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTableRowTooLargeForOneChunkIsRefused() throws Exception {
        String row = "Parameter,Description\nEUtranCellFDD.big," + "x".repeat(RecordLimits.MAX_CHUNK_CHARS) + "\n";
        assertThat(RecordLimits.check(chunks("big.csv", row, 512)))
                .startsWith("a table row or parameter entry of 100,0").contains("too large for one chunk")
                .contains("in section 'big'");
    }

    @Test
    void aDocumentOfMoreChunksThanItsRecordCanListIsRefused() throws Exception {
        // (at one token per chunk, each paragraph makes two chunks: its heading line and its word)
        String paragraphs = "Word.\n\n".repeat(RecordLimits.MAX_CHUNKS / 2 + 1);
        assertThat(RecordLimits.check(chunks("many.txt", paragraphs, 1))).startsWith("document makes 10,00")
                .endsWith("chunks, more than the 10,000 one document may have; split it into several files");
        assertThat(RecordLimits.check(chunks("fewer.txt", "Word.\n\n".repeat(100), 1))).isNull();
    }
}
