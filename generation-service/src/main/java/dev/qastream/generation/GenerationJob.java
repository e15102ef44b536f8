package dev.qastream.generation;

import dev.qastream.llm.GeneratedPair;

import dev.qastream.generation.worker.UnreadableRequests;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.GenerationCacheEntry;
import dev.qastream.schemas.GenerationRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import dev.qastream.runtime.kafka.OffsetLedger;
import org.apache.kafka.common.TopicPartition;

import java.util.List;

/** One request a worker took, from the poll until its result is committed (or its partition is revoked). */
final class GenerationJob implements OffsetLedger.Entry {
    final ConsumerRecord<String, GenerationRequest> record;
    final TopicPartition partition;
    /** Model calls made for it. */
    int attempts;
    /** Transient failures in a row (for the backoff). */
    int transientFailures;
    /** When the first of those failures came. */
    long firstTransientNanos;
    /** Failures that count against {@code tiers.<tier>.retries}: unparseable output, generator errors. */
    int countedFailures;
    String lastFailure;
    String rawOutput;
    long readyAtMs;
    /** Set once the job is decided; the ledger writes it when every earlier offset of its partition is decided. */
    Outcome outcome;
    /** Its partition was revoked: whatever it yields is discarded. */
    boolean dropped;

    GenerationJob(ConsumerRecord<String, GenerationRequest> record) {
        this.record = record;
        this.partition = new TopicPartition(record.topic(), record.partition());
    }

    @Override
    public TopicPartition partition() {
        return partition;
    }

    @Override
    public long offset() {
        return record.offset();
    }

    @Override
    public boolean decided() {
        return outcome != null;
    }

    @Override
    public void markDropped() {
        dropped = true;
    }

    GenerationRequest request() {
        return record.value();
    }

    /** False for a record that held no readable request (a null value, undecodable bytes). */
    boolean hasRequest() {
        return record.value() != null;
    }

    Chunk chunk() {
        return record.value().getChunk();
    }

    String chunkId() {
        return record.key();
    }

    /** What a decided job writes. */
    sealed interface Outcome permits Produced, Escalated, DeadLettered, Skipped, Unreadable {
    }

    /** Pairs (possibly none) from a model call or the cache; {@code newEntry} is written to the cache topic. */
    /** {@code evictedCacheKeys}: older prompt versions the new cache entry pushes out; tombstoned with it. */
    record Produced(List<GeneratedPair> pairs, String backend, String model, String promptVersion,
                    String cacheKey, GenerationCacheEntry newEntry, boolean fromCache,
                    List<String> evictedCacheKeys) implements Outcome {
    }

    record Escalated(String toTier, String failure) implements Outcome {
    }

    record DeadLettered(String reason, String rawOutput) implements Outcome {
    }

    /** A record with no request in it (a null value): only its offset is committed. */
    record Skipped() implements Outcome {
    }

    /** A record no schema reads: its bytes go to the raw dead-letter topic. */
    record Unreadable(UnreadableRequests.Undecodable raw) implements Outcome {
    }
}
