package dev.qastream.scoring;

/**
 * How much of a stream thread's time goes to embedding chunks ahead of their pairs: at most {@link #SHARE_MS} of
 * each {@link #WINDOW_MS}, in batches sized so that one takes about {@link #TARGET_BATCH_MS}, whatever the machine's
 * speed or load. An exactly-once transaction spans the work between two commits (a process loop of every task of
 * the thread plus their punctuations), so this bounds what chunk embedding adds to one transaction by time, not
 * by a count of chunks that a busy machine may take many seconds over.
 *
 * <p>One per stream thread: every task of a thread draws on the same budget.
 */
final class ChunkEmbeddingBudget {
    static final long WINDOW_MS = 1_000;
    static final long SHARE_MS = 250;
    static final long TARGET_BATCH_MS = 100;
    static final int MAX_BATCH = 64;
    private static final ThreadLocal<ChunkEmbeddingBudget> PER_THREAD = ThreadLocal.withInitial(ChunkEmbeddingBudget::new);

    private long windowStartNanos = System.nanoTime();
    private long spentNanos;
    private int batchSize = 1;

    static ChunkEmbeddingBudget ofThisThread() {
        return PER_THREAD.get();
    }

    /** Whether this thread may start one more batch now. */
    boolean available() {
        long now = System.nanoTime();
        if (now - windowStartNanos >= WINDOW_MS * 1_000_000) {
            windowStartNanos = now;
            spentNanos = 0;
        }
        return spentNanos < SHARE_MS * 1_000_000;
    }

    /** Chunks the next batch may take: grows while batches are quick, shrinks when one ran long. */
    int batchSize() {
        return batchSize;
    }

    void spent(long nanos) {
        spentNanos += nanos;
        long ms = nanos / 1_000_000;
        if (ms > TARGET_BATCH_MS) {
            batchSize = Math.max(1, batchSize / 2);
        } else if (ms < TARGET_BATCH_MS / 2) {
            batchSize = Math.min(MAX_BATCH, batchSize * 2);
        }
    }
}
