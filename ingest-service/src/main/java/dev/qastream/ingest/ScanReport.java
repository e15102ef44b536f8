package dev.qastream.ingest;

/**
 * What one pass over the inbox did. {@code skipped}: files and folders left out by the ignore rules (a
 * folder counts once, whatever it holds). {@code refused}: why the pass did nothing at all (the inbox is
 * missing or unreadable, or is not the folder the data dir adopted), or null.
 */
public record ScanReport(int ingested, int unchanged, int deleted, int errors, int chunksSent, int chunksRemoved,
                         int pending, int skipped, String refused) {

    public ScanReport(int ingested, int unchanged, int deleted, int errors, int chunksSent, int chunksRemoved,
                      int pending) {
        this(ingested, unchanged, deleted, errors, chunksSent, chunksRemoved, pending, 0, null);
    }

    public static ScanReport empty() {
        return new ScanReport(0, 0, 0, 0, 0, 0, 0);
    }

    /** Sums the counts of work done; pending, skipped and refused describe the inbox now, so the later pass's win. */
    public ScanReport plus(ScanReport o) {
        return new ScanReport(ingested + o.ingested, unchanged + o.unchanged, deleted + o.deleted, errors + o.errors,
                chunksSent + o.chunksSent, chunksRemoved + o.chunksRemoved, o.pending, o.skipped, o.refused);
    }

    public boolean changedAnything() {
        return ingested + deleted + errors + chunksSent + chunksRemoved > 0;
    }
}
