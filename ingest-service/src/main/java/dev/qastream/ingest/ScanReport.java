package dev.qastream.ingest;

/** What one pass over the inbox did. */
public record ScanReport(int ingested, int unchanged, int deleted, int errors, int chunksSent, int chunksRemoved,
                         int pending) {

    public static ScanReport empty() {
        return new ScanReport(0, 0, 0, 0, 0, 0, 0);
    }

    public ScanReport plus(ScanReport o) {
        return new ScanReport(ingested + o.ingested, unchanged + o.unchanged, deleted + o.deleted, errors + o.errors,
                chunksSent + o.chunksSent, chunksRemoved + o.chunksRemoved, o.pending);
    }

    public boolean changedAnything() {
        return ingested + deleted + errors + chunksSent + chunksRemoved > 0;
    }
}
