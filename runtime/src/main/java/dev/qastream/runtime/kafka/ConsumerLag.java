package dev.qastream.runtime.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Real lag of a consumer group: records it has not yet processed.
 * A plain "end offset minus committed offset" over-counts on transactional topics,
 * where the last offset of a partition can be a commit marker that no consumer ever
 * "processes"; so any gap is probed with a read-committed consumer to see whether a
 * real record lies in it.
 */
public final class ConsumerLag implements AutoCloseable {
    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> probe;

    public ConsumerLag(KafkaSettings settings) {
        this.admin = Admin.create(settings.admin());
        Map<String, Object> probeProps = settings.rawConsumer(null);
        // A gap of only a commit marker returns no records: do not let the broker hold each fetch for 500 ms.
        probeProps.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        this.probe = new KafkaConsumer<>(probeProps);
    }

    /** Unprocessed records of {@code groupId} on {@code topics}; a group with no commits lags by all records. */
    public long lag(String groupId, Collection<String> topics) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> start = offsets(topics, OffsetSpec.earliest());
            Map<TopicPartition, Long> end = offsets(topics, OffsetSpec.latest());
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long from = c == null ? start.get(e.getKey()) : c.offset();
                if (from < e.getValue()) {
                    lag += realRecords(e.getKey(), from, e.getValue());
                }
            }
            return lag;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read lag of group " + groupId + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Records between {@code from} and {@code end}; commit markers and aborted records do not count. */
    public long realRecords(TopicPartition tp, long from, long end) {
        probe.assign(List.of(tp));
        probe.seek(tp, from);
        long count = 0;
        long deadline = System.currentTimeMillis() + 2_000;
        while (probe.position(tp) < end && System.currentTimeMillis() < deadline) {
            count += probe.poll(Duration.ofMillis(100)).count();
        }
        // Unknown rest (probe timed out): count it as lag so callers never finish too early.
        return count + Math.max(0, end - probe.position(tp));
    }

    public Map<TopicPartition, Long> endOffsets(Collection<String> topics) {
        return offsetsOrThrow(topics, OffsetSpec.latest());
    }

    /** The first offset still in each partition (compaction and retention move it). */
    public Map<TopicPartition, Long> startOffsets(Collection<String> topics) {
        return offsetsOrThrow(topics, OffsetSpec.earliest());
    }

    /** When the first committed record at or after {@code offset} was written; null if none came within 2 s. */
    public Long timestampAt(TopicPartition tp, long offset) {
        probe.assign(List.of(tp));
        probe.seek(tp, offset);
        long deadline = System.currentTimeMillis() + 2_000;
        while (System.currentTimeMillis() < deadline) {
            for (var r : probe.poll(Duration.ofMillis(100))) {
                return r.timestamp();
            }
        }
        return null;
    }

    private Map<TopicPartition, Long> offsetsOrThrow(Collection<String> topics, OffsetSpec spec) {
        try {
            return offsets(topics, spec);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Map<TopicPartition, Long> offsets(Collection<String> topics, OffsetSpec spec)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, d) ->
                d.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), spec)));
        Map<TopicPartition, Long> result = new HashMap<>();
        ListOffsetsResult r = admin.listOffsets(request);
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : r.all().get().entrySet()) {
            result.put(e.getKey(), e.getValue().offset());
        }
        return result;
    }

    @Override
    public void close() {
        probe.close();
        admin.close();
    }
}
