package dev.qastream.generation.worker;

import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.Partitions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest revision of every chunk: the offset of its newest record on ingest.chunks (the router stamps
 * that offset on every request as its revision; a tombstone counts too). Workers ask it just before a write,
 * and a result whose revision is older than its chunk's newest writes nothing: on a compacted topic the last
 * record by offset is the one kept, so an older revision written after a newer one would undo it.
 *
 * <p>Keys only: values are fetched (Kafka cannot leave them out) but never decoded nor kept; the view holds one
 * chunk id and one long per chunk. Caught up on demand ({@link #catchUp}) to the end offsets read at that
 * moment, by the thread that asks (shared by the workers of a process, one at a time).
 *
 * <p>What it cannot see: a chunk record written after the catch-up's end offsets were read. A result checked
 * just before that record arrives is written; for a newer revision's result to land before it, the new chunk
 * record would have to be routed, generated and committed within the few milliseconds between this check and
 * the commit of the older result. And a tombstone that compaction has already deleted (after
 * {@code kafka.delete-retention-hours}) is no longer seen, so a request older than that is not known as stale.
 */
public final class RevisionView implements AutoCloseable {
    private final KafkaConsumer<String, Void> consumer;
    private final String topic;
    private final Map<String, Long> newest = new HashMap<>();
    private List<TopicPartition> partitions;

    public RevisionView(KafkaSettings kafka, String topic) {
        Map<String, Object> props = kafka.consumer(null);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "revision-view-" + topic);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new Ignored());
        this.topic = topic;
    }

    /**
     * Reads every record up to the end offsets of now; false when that did not finish within {@code timeout}
     * (the broker is slow or away): then the caller cannot tell stale results, and must not write them yet.
     */
    public synchronized boolean catchUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (partitions == null) {
            partitions = Partitions.assignAll(consumer, topic, true);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            for (ConsumerRecord<String, Void> r : consumer.poll(Duration.ofMillis(50))) {
                if (r.key() != null) {
                    newest.merge(r.key(), r.offset(), Math::max);
                }
            }
        }
        return true;
    }

    /** The newest revision of the chunk as of the last catch-up; -1 when no record of it was seen. */
    public synchronized long newest(String chunkId) {
        Long revision = newest.get(chunkId);
        return revision == null ? -1 : revision;
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /** Reads nothing: the value's bytes are never copied nor parsed. */
    private static final class Ignored implements Deserializer<Void> {
        @Override
        public Void deserialize(String topic, byte[] data) {
            return null;
        }

        @Override
        public Void deserialize(String topic, Headers headers, ByteBuffer data) {
            return null;
        }
    }
}
