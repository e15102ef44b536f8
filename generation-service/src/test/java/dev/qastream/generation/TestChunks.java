package dev.qastream.generation;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.TermTiers;

/** Minimal chunks for tests that care about ids and routing, not content. */
public final class TestChunks {
    private TestChunks() {
    }

    public static Chunk chunk(String id, double complexity) {
        return Chunk.newBuilder()
                .setChunkId(id).setDocumentId(id.substring(0, id.indexOf('#'))).setOrdinal(0)
                .setText("text").setChecksum("c").setTokenEstimate(1).setComplexity(complexity)
                .setDocument(DocumentInfo.newBuilder().build())
                .setTerms(TermTiers.newBuilder().build())
                .setQuality(ChunkQuality.newBuilder().build())
                .build();
    }
}
