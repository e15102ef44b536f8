package dev.qastream.generation;

import dev.qastream.generation.GenerationJob.DeadLettered;
import dev.qastream.generation.GenerationJob.Produced;
import dev.qastream.generation.worker.RevisionView;
import dev.qastream.generation.worker.WorkerMetrics;
import dev.qastream.runtime.kafka.OffsetLedger;
import dev.qastream.runtime.serde.Transport;
import dev.qastream.schemas.GenerationCacheEntry;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One write of a worker's decided results: their records and the offsets after them in one short
 * transaction, never a model call inside. Before it, results whose chunk has a newer revision (see
 * {@link RevisionView}) are turned into writing nothing. What can go wrong, and what happens:
 * <ul>
 * <li>an abortable Kafka error: aborted, every result held for the next write;</li>
 * <li>a commit that times out: committed again (a timed-out commit may not be aborted; the producer's javadoc
 *     says to call commitTransaction again), and after {@code commitRetry} the worker stops, to be restarted;</li>
 * <li>a record too large for the broker: aborted, and that job alone becomes a dead letter ("result too
 *     large"), or loses only its cache entry when that was the large record; the others go with the next write;</li>
 * <li>a result whose records cannot be made or serialized (not Kafka's error): aborted, that job becomes a dead
 *     letter with the reason; unless the registry is unreachable, when everything is held and tried again;</li>
 * <li>a fatal error (fenced): the abort fails and the error ends the worker.</li>
 * </ul>
 * In every case a transaction that did not commit is aborted before the next begins. Poll-loop thread only.
 */
final class Flush {
    private static final Logger log = LoggerFactory.getLogger(Flush.class);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(10);

    private final String tier;
    private final Producer<String, Object> producer;
    private final JobRecords records;
    private final RevisionView revisions;
    private final WorkerMetrics metrics;
    private final String cacheTopic;
    private final long commitRetryMs;
    /** Cache entries of model results whose own write will not happen (their partition was revoked or lost). */
    private final Map<String, GenerationCacheEntry> pendingCacheEntries = new LinkedHashMap<>();
    private boolean registryOutageLogged;
    /** The commit timed out for longer than commitRetryMs: it may not be aborted. */
    private boolean commitGaveUp;

    Flush(String tier, Producer<String, Object> producer, JobRecords records, RevisionView revisions,
          WorkerMetrics metrics, String cacheTopic, long commitRetryMs) {
        this.tier = tier;
        this.producer = producer;
        this.records = records;
        this.revisions = revisions;
        this.metrics = metrics;
        this.cacheTopic = cacheTopic;
        this.commitRetryMs = commitRetryMs;
    }

    /** Writes this entry with the next transaction, offsets or not: the model work it holds is not paid twice. */
    void keepCacheEntry(String key, GenerationCacheEntry entry) {
        pendingCacheEntries.put(key, entry);
    }

    /** A failure of one job's records (or of one pending cache entry, then job is null), not of the transaction. */
    private static final class RecordFailure extends RuntimeException {
        final GenerationJob job;
        final String cacheKey;

        RecordFailure(GenerationJob job, String cacheKey, RuntimeException cause) {
            super(cause);
            this.job = job;
            this.cacheKey = cacheKey;
        }
    }

    /**
     * Writes {@code decided} (with the offsets after them) and the pending cache entries; true once committed,
     * when their after-commit actions have run. False: nothing was written, the jobs are held (some may have a
     * new outcome, e.g. a dead letter in place of a result too large) for the next write.
     */
    boolean write(List<GenerationJob> decided, ConsumerGroupMetadata group, long nowMs) {
        if (decided.isEmpty() && pendingCacheEntries.isEmpty()) {
            return true;
        }
        Map<GenerationJob, Long> stale = staleJobs(decided);
        if (stale == null) {
            return false;
        }
        Map<String, GenerationCacheEntry> cacheEntries = new LinkedHashMap<>(pendingCacheEntries);
        Map<GenerationJob, TooLarge> tooLarge = new ConcurrentHashMap<>();
        Set<String> tooLargeCacheEntries = ConcurrentHashMap.newKeySet();
        List<Runnable> afterCommit = new ArrayList<>();
        boolean began = false;
        boolean committed = false;
        commitGaveUp = false;
        RuntimeException failure = null;
        try {
            producer.beginTransaction();
            began = true;
            for (GenerationJob job : decided) {
                afterCommit.add(send(job, stale.get(job), nowMs, tooLarge));
            }
            cacheEntries.forEach((key, entry) -> sendCacheEntry(key, entry, tooLargeCacheEntries));
            if (!decided.isEmpty()) {
                producer.sendOffsetsToTransaction(OffsetLedger.nextOffsets(decided), group);
            }
            commit();
            committed = true;
        } catch (RecordFailure e) {
            failure = e;
        } catch (KafkaException e) {
            if (commitGaveUp) {
                throw e; // not abortable; whether it committed is unknown: the worker restarts, fencing this producer
            }
            failure = e;
        } finally {
            if (began && !committed && !commitGaveUp) {
                abort(failure);
            }
        }
        if (!committed) {
            redecide(failure, tooLarge, tooLargeCacheEntries, decided.size());
            return false;
        }
        registryOutageLogged = false;
        cacheEntries.keySet().forEach(pendingCacheEntries::remove);
        afterCommit.forEach(Runnable::run);
        return true;
    }

    /**
     * The jobs whose chunk has a newer revision than their request, with that revision; null when the view of
     * revisions could not be brought up to date (then nothing may be written yet).
     */
    private Map<GenerationJob, Long> staleJobs(List<GenerationJob> decided) {
        if (decided.stream().noneMatch(GenerationJob::hasRequest)) {
            return Map.of();
        }
        try {
            if (!revisions.catchUp(CATCH_UP_TIMEOUT)) {
                log.warn("{} worker: the chunk revisions did not catch up within {} s; {} results held", tier,
                        CATCH_UP_TIMEOUT.toSeconds(), decided.size());
                return null;
            }
        } catch (KafkaException e) {
            log.warn("{} worker: reading the chunk revisions failed ({}); {} results held", tier, e.toString(), decided.size());
            return null;
        }
        Map<GenerationJob, Long> stale = new HashMap<>();
        for (GenerationJob job : decided) {
            if (job.hasRequest()) {
                long newest = revisions.newest(job.chunkId());
                if (newest > job.request().getRevision()) {
                    stale.put(job, newest);
                }
            }
        }
        return stale;
    }

    /** A job's record the broker would not take: whether that was only its cache entry, and what the producer said. */
    private record TooLarge(boolean onlyCacheEntry, String message) {
        TooLarge and(TooLarge other) {
            return new TooLarge(onlyCacheEntry && other.onlyCacheEntry, message);
        }
    }

    /** Sends one job's records; its after-commit action. */
    private Runnable send(GenerationJob job, Long newerRevision, long nowMs, Map<GenerationJob, TooLarge> tooLarge) {
        try {
            JobRecords.Written w = newerRevision != null ? records.stale(job, newerRevision) : records.of(job, nowMs);
            for (ProducerRecord<String, Object> r : w.records()) {
                String large = tooLargeAtSend(producer.send(r));
                if (large != null) {
                    tooLarge.merge(job, new TooLarge(r.topic().equals(cacheTopic), large), TooLarge::and);
                }
            }
            return w.afterCommit();
        } catch (RuntimeException e) {
            throw recordFailure(job, null, e);
        }
    }

    private void sendCacheEntry(String key, GenerationCacheEntry entry, Set<String> tooLarge) {
        try {
            if (tooLargeAtSend(producer.send(new ProducerRecord<>(cacheTopic, key, entry))) != null) {
                tooLarge.add(key);
            }
        } catch (RuntimeException e) {
            throw recordFailure(null, key, e);
        }
    }

    /**
     * The producer's refusal of this record for its size, or null. It refuses a record larger than max.request.size
     * inside send(), so the future is already failed; a later failure is the transaction's: once one record failed,
     * the producer fails every record still in its buffers with that same exception, and taking those for too large
     * too would dead-letter results that were fine (they are written with the next transaction).
     */
    private static String tooLargeAtSend(java.util.concurrent.Future<?> sent) {
        if (!sent.isDone()) {
            return null;
        }
        try {
            sent.get();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause() instanceof RecordTooLargeException ? e.getCause().getMessage() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A serializer's failure, or any that is not Kafka's, belongs to the record; other Kafka errors to the transaction. */
    private static RuntimeException recordFailure(GenerationJob job, String cacheKey, RuntimeException e) {
        boolean transactionState = e instanceof KafkaException && !(e instanceof SerializationException);
        return transactionState ? e : new RecordFailure(job, cacheKey, e);
    }

    private void commit() {
        long deadline = System.currentTimeMillis() + commitRetryMs;
        while (true) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (System.currentTimeMillis() > deadline) {
                    commitGaveUp = true;
                    log.error("{} worker: the commit kept timing out for {} ms; restarting the worker", tier, commitRetryMs);
                    throw e;
                }
                log.warn("{} worker: commit timed out; committing again ({})", tier, e.getMessage());
            }
        }
    }

    /** Aborts; a producer that cannot abort is in a fatal state (fenced): the failure ends the worker. */
    private void abort(RuntimeException failure) {
        try {
            producer.abortTransaction();
        } catch (KafkaException | IllegalStateException fatal) {
            if (failure != null) {
                fatal.addSuppressed(failure);
            }
            throw fatal;
        }
    }

    /** After an abort: gives the jobs that caused it an outcome that can be written; logs what is held. */
    private void redecide(RuntimeException failure, Map<GenerationJob, TooLarge> tooLarge, Set<String> tooLargeCacheEntries,
                          int held) {
        tooLarge.forEach((job, large) -> {
            if (large.onlyCacheEntry() && job.outcome instanceof Produced p) {
                log.warn("{} worker: chunk {}: its cache entry is too large for the broker; writing its pairs without it",
                        tier, job.chunkId());
                job.outcome = new Produced(p.pairs(), p.backend(), p.model(), p.promptVersion(), p.cacheKey(), null, p.fromCache(), List.of());
            } else {
                deadLetter(job, "result too large for the broker: " + large.message());
            }
        });
        tooLargeCacheEntries.forEach(key -> {
            log.warn("{} worker: cache entry {} is too large for the broker; not kept", tier, key);
            pendingCacheEntries.remove(key);
        });
        if (failure instanceof RecordFailure f) {
            Throwable cause = f.getCause();
            if (Transport.registryUnavailable(cause)) {
                if (!registryOutageLogged) {
                    registryOutageLogged = true;
                    log.warn("{} worker: the schema registry cannot be reached to write results ({}); {} results held "
                            + "and written once it answers", tier, cause.toString(), held);
                }
            } else if (f.job != null) {
                deadLetter(f.job, "cannot write its result: " + cause);
            } else {
                log.warn("{} worker: cache entry {} cannot be written ({}); not kept", tier, f.cacheKey, cause.toString());
                pendingCacheEntries.remove(f.cacheKey);
            }
            return;
        }
        if (tooLarge.isEmpty() && tooLargeCacheEntries.isEmpty()) {
            log.warn("{} worker: nothing written (transaction aborted or not begun), {} results held for the next write: {}", tier, held,
                    failure == null ? "unknown" : failure.toString());
        }
    }

    /**
     * The job's result cannot be written: a dead letter says so. A dead letter or raw record that cannot be
     * written either is given up (logged, counted): holding it would stop the tier for good.
     */
    private void deadLetter(GenerationJob job, String reason) {
        if (job.outcome instanceof DeadLettered || job.outcome instanceof GenerationJob.Unreadable || !job.hasRequest()) {
            log.error("{} worker: the dead letter for {} at {} offset {} cannot be written either ({}); giving it up",
                    tier, job.chunkId(), job.partition, job.record.offset(), reason);
            metrics.unwritable();
            job.outcome = new GenerationJob.Skipped();
            return;
        }
        log.warn("{} worker: chunk {}: {}; dead-lettering it", tier, job.chunkId(), reason);
        job.outcome = new DeadLettered(reason, null);
    }
}
