package dev.qastream.generation;

import dev.qastream.llm.GeneratedPair;

import dev.qastream.generation.GenerationJob.DeadLettered;
import dev.qastream.generation.GenerationJob.Escalated;
import dev.qastream.generation.GenerationJob.Produced;
import dev.qastream.generation.worker.CacheView;
import dev.qastream.generation.worker.EmptyChunks;
import dev.qastream.generation.worker.PairRecords;
import dev.qastream.generation.worker.RoundSlots;
import dev.qastream.llm.Rounds;
import dev.qastream.generation.worker.WorkerMetrics;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DeadLetter;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.QaPair;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * What a decided job writes, all in the worker's transaction: pairs and removal records carrying the
 * request's revision, a new cache entry, an escalated request, a dead letter, or the raw bytes of a record
 * that cannot be read; a stale job (its chunk has a newer revision) writes nothing. A dead letter removes no
 * pairs: a chunk whose (re)generation failed keeps the pairs of its last successful generation until one
 * succeeds again (re-drive the dead letter; a deleted chunk's pairs are removed by the router's tombstone
 * removals, not here). {@link Written#afterCommit} moves the counters and the local cache, and logs; only after
 * the commit.
 */
final class JobRecords {
    private static final Logger log = LoggerFactory.getLogger(JobRecords.class);

    private final String tier;
    private final Topics topics;
    private final RoundSlots slots;
    private final WorkerMetrics metrics;
    private final CacheView cache;
    private final EmptyChunks empty;

    JobRecords(String tier, Topics topics, RoundSlots slots, WorkerMetrics metrics, CacheView cache, EmptyChunks empty) {
        this.empty = empty;
        this.tier = tier;
        this.topics = topics;
        this.slots = slots;
        this.metrics = metrics;
        this.cache = cache;
    }

    /** Records to send, and what to do once they are committed. */
    record Written(List<ProducerRecord<String, Object>> records, Runnable afterCommit) {
    }

    Written of(GenerationJob job, long nowMs) {
        return switch (job.outcome) {
            case Produced p -> produced(job, p, nowMs);
            case Escalated e -> escalated(job, e, nowMs);
            case DeadLettered d -> deadLettered(job, d, nowMs);
            case GenerationJob.Skipped s -> new Written(List.of(), () -> { });
            case GenerationJob.Unreadable u -> unreadable(job, u);
        };
    }

    /** A job whose chunk has a newer revision than its request: nothing written, its offset still committed. */
    Written stale(GenerationJob job, long newestRevision) {
        return new Written(List.of(), () -> {
            metrics.committedStale();
            log.info("{} worker: chunk {} revision {} is stale (revision {} is newer): nothing written for it",
                    tier, job.chunkId(), job.request().getRevision(), newestRevision);
        });
    }

    private Written unreadable(GenerationJob job, GenerationJob.Unreadable u) {
        ProducerRecord<String, Object> r = new ProducerRecord<>(topics.requestDeadLetters.name(), u.raw().key(), u.raw().value());
        r.headers().add(Topics.DLQ_REASON_HEADER, utf8(u.raw().reason()))
                .add(Topics.DLQ_TOPIC_HEADER, utf8(job.partition.topic()))
                .add(Topics.DLQ_PARTITION_HEADER, utf8(String.valueOf(job.partition.partition())))
                .add(Topics.DLQ_OFFSET_HEADER, utf8(String.valueOf(job.record.offset())));
        return new Written(List.of(r), metrics::committedUndecodable);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private Written produced(GenerationJob job, Produced p, long nowMs) {
        Chunk chunk = job.chunk();
        long revision = job.request().getRevision();
        List<ProducerRecord<String, Object>> out = new ArrayList<>();
        // Round n fills its own slot range: a follow-up never writes over, nor removes, another round's pairs.
        int round = Math.max(0, job.request().getRound());
        int first = Rounds.firstSlot(round);
        List<GeneratedPair> usable = p.pairs().stream().filter(JobRecords::usable).limit(slots.capacity(round)).toList();
        int n = usable.size();
        for (int i = 0; i < n; i++) {
            GeneratedPair g = usable.get(i);
            int slot = first + i;
            QaPair pair = QaPair.newBuilder().setPairKey(PairRecords.pairKey(chunk.getChunkId(), slot))
                    .setChunkId(chunk.getChunkId()).setDocumentId(chunk.getDocumentId()).setSlot(slot)
                    .setQuestion(g.question().strip()).setAnswer(g.answer().strip()).setTier(tier)
                    .setBackend(p.backend()).setModel(p.model()).setPromptVersion(p.promptVersion())
                    .setChunkChecksum(chunk.getChecksum()).setGeneratedAtMs(nowMs).setRevision(revision)
                    .setRemoved(false).setQuestionType(g.questionType()).setRound(round).setSlotsInRound(n).build();
            out.add(pairRecord(pair));
        }
        // Slots the new generation does not fill are removed at this revision: no stale pairs survive a shorter answer.
        int removals = addRemovals(out, chunk, round, n, revision, nowMs);
        if (p.newEntry() != null) {
            out.add(new ProducerRecord<>(topics.cache.name(), p.cacheKey(), p.newEntry()));
            // The retention rule (generation.cache.keep-prompt-versions): older prompt versions go from the topic too.
            for (String gone : p.evictedCacheKeys()) {
                out.add(new ProducerRecord<>(topics.cache.name(), gone, null));
            }
        }
        String emptyReason = usable.isEmpty() ? (p.pairs().isEmpty() ? "no-pairs" : "no-usable-pairs") : null;
        return new Written(out, () -> {
            metrics.committedPairs(n);
            metrics.committedRemovals(removals);
            if (p.newEntry() != null) {
                cache.remember(p.cacheKey(), p.newEntry());
            }
            if (emptyReason != null) {
                metrics.committedEmpty(emptyReason);
                empty.add(new EmptyChunks.Entry(chunk.getChunkId(), revision, tier, emptyReason));
                // The builtin generator finds nothing to ask in prose-only chunks by design: counted and named
                // in the summary, but one warning per such chunk would bury the log. A model that returns
                // nothing is worth a warning.
                boolean expected = dev.qastream.generation.worker.ModelServers.isBuiltin(p.backend());
                String message = "{} worker: chunk {} (revision {}) yielded zero usable pairs: {} ({} returned {} pairs{})";
                Object[] args = {tier, chunk.getChunkId(), revision, emptyReason, p.model(), p.pairs().size(),
                        p.fromCache() ? ", from the cache" : ""};
                if (expected) {
                    log.debug(message, args);
                } else {
                    log.warn(message, args);
                }
            }
        });
    }

    private Written escalated(GenerationJob job, Escalated e, long nowMs) {
        GenerationRequest from = job.request();
        List<String> tried = new ArrayList<>(from.getEscalatedFrom());
        tried.add(tier);
        GenerationRequest next = GenerationRequest.newBuilder(from).setTier(e.toTier()).setRoutedAtMs(nowMs)
                .setEscalatedFrom(tried).setLastFailure(e.failure()).build();
        List<ProducerRecord<String, Object>> out = List.of(
                new ProducerRecord<>(Topics.requestTopic(e.toTier()), job.chunkId(), next));
        return new Written(out, () -> {
            metrics.committedEscalation();
            log.info("{} worker: chunk {} escalated to the {} tier after {} attempts: {}",
                    tier, job.chunkId(), e.toTier(), job.attempts, e.failure());
        });
    }

    private Written deadLettered(GenerationJob job, DeadLettered d, long nowMs) {
        Chunk chunk = job.chunk();
        List<ProducerRecord<String, Object>> out = new ArrayList<>();
        List<String> tried = new ArrayList<>(job.request().getEscalatedFrom());
        tried.add(tier);
        DeadLetter dl = DeadLetter.newBuilder().setRequest(job.request()).setReason(d.reason())
                .setAttempts(job.attempts).setFailedAtMs(nowMs).setRawOutput(d.rawOutput())
                .setTiersTried(tried).setRemovedPairs(0).build();
        out.add(new ProducerRecord<>(topics.deadLetters.name(), PairRecords.deadLetterKey(job.chunkId(), job.request().getRound()), dl));
        return new Written(out, () -> {
            metrics.committedDeadLetter();
            metrics.committedEmpty("dead-lettered");
            empty.add(new EmptyChunks.Entry(chunk.getChunkId(), job.request().getRevision(), tier, "dead-lettered"));
            log.warn("{} worker: chunk {} (revision {}) sent to the dead-letter topic after {} attempts (tiers {}): {}",
                    tier, chunk.getChunkId(), job.request().getRevision(), job.attempts, tried, d.reason());
        });
    }

    /** Removals of the slots of the result's own round that it does not fill (its {@code filled} pairs come first). */
    private int addRemovals(List<ProducerRecord<String, Object>> out, Chunk chunk, int round, int filled, long revision, long nowMs) {
        int first = Rounds.firstSlot(round);
        int capacity = slots.capacity(round);
        for (int i = filled; i < capacity; i++) {
            out.add(pairRecord(PairRecords.removal(chunk.getChunkId(), chunk.getDocumentId(), first + i, revision, tier,
                    nowMs, round, filled)));
        }
        return Math.max(0, capacity - filled);
    }

    private ProducerRecord<String, Object> pairRecord(QaPair pair) {
        return new ProducerRecord<>(topics.pairs.name(), pair.getPairKey(), pair);
    }

    private static boolean usable(GeneratedPair g) {
        return g.question() != null && !g.question().isBlank() && g.answer() != null && !g.answer().isBlank();
    }
}
