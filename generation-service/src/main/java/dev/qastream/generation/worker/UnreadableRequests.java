package dev.qastream.generation.worker;

import com.microsoft.kiota.ApiException;
import dev.qastream.runtime.serde.Transport;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What a worker does with a request record it could not deserialize. A registry that cannot be reached or
 * answers 5xx (restarting, overloaded) is not a bad record: the record is read again, from the same offset,
 * after a pause of {@value #RETRY_PAUSE_MS} ms, for as long as the outage lasts (logged once when it starts and
 * once when it ends). Only bytes that no schema reads (not the registry's framing, an id it does not know, a
 * payload that does not match its schema) are dead-lettered, as they were. Poll-loop thread only.
 */
public final class UnreadableRequests {
    private static final Logger log = LoggerFactory.getLogger(UnreadableRequests.class);
    static final long RETRY_PAUSE_MS = 1_000;

    /** A record to dead-letter: its key and value bytes as they were, and why it cannot be read. */
    public record Undecodable(String key, byte[] value, String reason) {
    }

    private final String tier;
    private final WorkerMetrics metrics;
    private long outageSinceMs = -1;
    private long pausedUntilMs;

    public UnreadableRequests(String tier, WorkerMetrics metrics) {
        this.tier = tier;
        this.metrics = metrics;
    }

    /**
     * True when the failure is the registry's, not the record's: read the record again after the pause
     * ({@link #pausing}). False: the record cannot be read, see {@link #undecodable}.
     */
    public boolean retryable(RecordDeserializationException e, long nowMs) {
        if (!Transport.registryUnavailable(e)) {
            return false;
        }
        metrics.registryUnavailable();
        if (outageSinceMs < 0) {
            outageSinceMs = nowMs;
            log.warn("{} worker: the schema registry cannot be reached to read requests ({}); reading them again "
                    + "every {} ms until it answers, nothing skipped", tier, rootMessage(e), RETRY_PAUSE_MS);
        }
        pausedUntilMs = nowMs + RETRY_PAUSE_MS;
        return true;
    }

    /** While true, the worker holds its partitions (no fetch): the registry was just found away. */
    public boolean pausing(long nowMs) {
        return nowMs < pausedUntilMs;
    }

    /** A poll read records: if the registry was away, it is back. */
    public void readSome(long nowMs) {
        if (outageSinceMs >= 0) {
            log.info("{} worker: the schema registry answers again; requests are read after {} ms", tier, nowMs - outageSinceMs);
            outageSinceMs = -1;
        }
    }

    /** The record's bytes and the reason, for the raw dead-letter topic. */
    public Undecodable undecodable(RecordDeserializationException e) {
        String reason = "cannot deserialize the " + e.origin().name().toLowerCase() + ": " + rootMessage(e);
        log.error("{} worker: request at {} offset {} cannot be read; sent as it is to the raw dead-letter topic: {}",
                tier, e.topicPartition(), e.offset(), reason);
        byte[] key = bytes(e.keyBuffer());
        return new Undecodable(key == null ? null : new String(key, StandardCharsets.UTF_8), bytes(e.valueBuffer()), reason);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** What the serde or the registry said (the deepest cause, or the registry's HTTP status), not the consumer's wrapper. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root == e ? String.valueOf(e.getMessage()) : root.getClass().getSimpleName() + ": " + root.getMessage();
        return root instanceof ApiException api
                ? "the schema registry answered HTTP " + api.getResponseStatusCode() + " (" + message + ")" : message;
    }
}
