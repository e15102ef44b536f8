package dev.qastream.ingest;

import dev.qastream.schemas.Chunk;

import java.util.List;

/**
 * What a document's records must stay within to be written at all. A record larger than the producer's
 * {@code max.request.size} (1 MB) fails the transaction it is in, and since the same file is read again on
 * the next scan, it would fail every scan after it; so such a document is refused up front, with its reason.
 */
final class RecordLimits {
    /** Characters of one chunk's text: at most 3 bytes each in UTF-8, leaving room for the chunk's metadata. */
    static final int MAX_CHUNK_CHARS = 100_000;
    /** Chunks of one document: its record in ingest.documents lists every chunk's checksum (64 characters). */
    static final int MAX_CHUNKS = 10_000;

    private RecordLimits() {}

    /** Why these chunks of one document cannot be written, or null when they can. */
    static String check(List<Chunk> chunks) {
        if (chunks.size() > MAX_CHUNKS) {
            return String.format("document makes %,d chunks, more than the %,d one document may have; split it into "
                    + "several files", chunks.size(), MAX_CHUNKS);
        }
        for (Chunk chunk : chunks) {
            if (chunk.getText().length() > MAX_CHUNK_CHARS) {
                // Only a table row or a parameter entry can be this large: the chunker never splits those.
                return String.format("a table row or parameter entry of %,d characters is too large for one chunk "
                        + "(at most %,d), in section '%s'", chunk.getText().length(), MAX_CHUNK_CHARS,
                        String.join(" > ", chunk.getSectionPath()));
            }
        }
        return null;
    }
}
