package dev.qastream.scoring.coverage;

import dev.qastream.schemas.DocumentCoverage;

/** What the coverage topology tells its meters. */
public interface CoverageListener {
    /** A document's coverage changed; null when the document is gone. */
    void document(String documentId, DocumentCoverage coverage);

    /** A follow-up round was requested for a chunk. */
    void followUp(String chunkId, int round);

    /** Chunks whose latest round is not complete yet changed by this many (a follow-up may still come). */
    default void pendingRounds(long delta) {
    }

    CoverageListener NONE = new CoverageListener() {
        @Override
        public void document(String documentId, DocumentCoverage coverage) {
        }

        @Override
        public void followUp(String chunkId, int round) {
        }
    };
}
