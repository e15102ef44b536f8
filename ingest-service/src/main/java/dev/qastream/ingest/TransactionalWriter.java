package dev.qastream.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes ready {@link WriteUnit}s in short transactions. Nothing slow happens while one is open: units are
 * queued while files are parsed and written only once they are ready, at most {@code maxUnits} per
 * transaction, and a transaction is committed once it has been open a quarter of the broker's transaction
 * timeout, so it never nears it, whatever parsing takes.
 *
 * <p>A failed write or commit is tried again a few times, with the same units (no file is parsed again) and a
 * new producer under the same transactional id: creating it fences the old one and aborts whatever that left
 * open, which also gets past a transaction the broker aborted or a producer it fenced. A unit's after-commit
 * actions run only once it is committed; units that still fail are dropped, so nothing local claims them and
 * the next scan reads their files again.
 */
final class TransactionalWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionalWriter.class);
    private static final int ATTEMPTS = 4;
    private static final long FIRST_BACKOFF_MS = 250;

    private final Supplier<DocumentPublisher> newPublisher;
    private final int maxUnits;
    private final long maxTransactionNs;
    private final long maxWaitNs;
    private final List<WriteUnit> pending = new ArrayList<>();
    private long oldestPendingNs;
    private DocumentPublisher publisher;

    /**
     * Creates the first publisher at once: initialising its transactions completes or aborts whatever an
     * earlier run left open. {@code maxWaitMs}: how long a ready unit may wait in the queue for more.
     */
    TransactionalWriter(Supplier<DocumentPublisher> newPublisher, int maxUnits, long transactionTimeoutMs,
                        long maxWaitMs) {
        this.newPublisher = newPublisher;
        this.maxUnits = maxUnits;
        this.maxTransactionNs = transactionTimeoutMs / 4 * 1_000_000;
        this.maxWaitNs = maxWaitMs * 1_000_000;
        this.publisher = newPublisher.get();
    }

    /** Queues a unit; writes the queue once it holds {@code maxUnits} units or its oldest has waited long enough. */
    void write(WriteUnit unit) {
        if (pending.isEmpty()) {
            oldestPendingNs = System.nanoTime();
        }
        pending.add(unit);
        if (pending.size() >= maxUnits || msUntilDue() <= 0) {
            flush();
        }
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** How long the queued units may still wait before they are written; a caller about to block flushes then. */
    long msUntilDue() {
        return pending.isEmpty() ? Long.MAX_VALUE
                : Math.max(0, (oldestPendingNs + maxWaitNs - System.nanoTime()) / 1_000_000);
    }

    /** Writes every queued unit and runs its after-commit actions; throws when writing still fails after retries. */
    void flush() {
        int failures = 0;
        try {
            while (!pending.isEmpty()) {
                int written;
                try {
                    written = writeOneTransaction();
                } catch (RuntimeException e) {
                    // Whatever the failure (abortable, fenced, fatal), a new producer starts clean.
                    closePublisher();
                    if (++failures >= ATTEMPTS) {
                        throw e;
                    }
                    log.warn("ingest: writing {} documents failed ({}); trying again with a new producer",
                            pending.size(), e.toString());
                    backOff(failures);
                    continue;
                }
                List<WriteUnit> committed = new ArrayList<>(pending.subList(0, written));
                pending.subList(0, written).clear();
                committed.forEach(WriteUnit::committed);
            }
        } finally {
            discard();
        }
    }

    /** Drops the queued units unwritten: nothing recorded them, so their files are read again by the next scan. */
    void discard() {
        pending.clear();
    }

    /** One transaction: a prefix of the queue, bounded by count and by the time it has been open; returns its size. */
    private int writeOneTransaction() {
        DocumentPublisher p = publisher();
        long start = System.nanoTime();
        int n = 0;
        boolean committed = false;
        p.begin();
        try {
            while (n < pending.size() && n < maxUnits && (n == 0 || System.nanoTime() - start < maxTransactionNs)) {
                pending.get(n++).sendTo(p);
            }
            p.commit();
            committed = true;
        } finally {
            if (!committed) {
                p.abort(); // an Error too: nothing of this transaction may ride along with a later commit
            }
        }
        return n;
    }

    private DocumentPublisher publisher() {
        if (publisher == null) {
            publisher = newPublisher.get();
        }
        return publisher;
    }

    private void closePublisher() {
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
    }

    private static void backOff(int failures) {
        try {
            Thread.sleep(FIRST_BACKOFF_MS << (failures - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        discard();
        closePublisher();
    }
}
