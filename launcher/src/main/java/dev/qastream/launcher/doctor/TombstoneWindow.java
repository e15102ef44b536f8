package dev.qastream.launcher.doctor;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Whether a stage has been behind on a compacted topic for longer than the broker keeps a removal (tombstone) there:
 * the next record its consumer group would read was written more than {@code delete.retention.ms} ago, or was
 * already cleaned away. Compaction may then have dropped removals the stage never saw, and what it holds (the
 * dataset, a store) can keep pairs that should be gone. Groups of this pipeline only (their ids start "qastream").
 */
final class TombstoneWindow {
    private TombstoneWindow() {
    }

    /** One stage partition behind for too long, said for a person. */
    record Behind(String group, TopicPartition partition, String why) {
        @Override
        public String toString() {
            return group + " on " + partition + ": " + why;
        }
    }

    static List<Behind> find(Admin admin, String bootstrapServers, Set<String> compactedTopics, long retentionMs,
                             long nowMs, int timeoutMs) throws Exception {
        List<String> groups = admin.listConsumerGroups().all().get(timeoutMs, TimeUnit.MILLISECONDS).stream()
                .map(ConsumerGroupListing::groupId).filter(g -> g.startsWith("qastream")).sorted().toList();
        List<Behind> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS).entrySet().stream()
                        .filter(e -> e.getValue() != null && compactedTopics.contains(e.getKey().topic()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
                if (committed.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, Long> start = offsets(admin, committed.keySet(), OffsetSpec.earliest(), timeoutMs);
                Map<TopicPartition, Long> end = offsets(admin, committed.keySet(), OffsetSpec.latest(), timeoutMs);
                for (var e : committed.entrySet()) {
                    TopicPartition tp = e.getKey();
                    long next = e.getValue().offset();
                    if (next >= end.get(tp)) {
                        continue; // caught up
                    }
                    if (next < start.get(tp)) {
                        out.add(new Behind(group, tp, "its next offset " + next + " was already cleaned away (log starts at "
                                + start.get(tp) + ")"));
                        continue;
                    }
                    Long written = timestampAt(reader, tp, next, timeoutMs);
                    if (written != null && nowMs - written > retentionMs) {
                        out.add(new Behind(group, tp, "the next record it reads was written "
                                + (nowMs - written) / 3_600_000 + " h ago"));
                    }
                }
            }
        }
        return out;
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Set<TopicPartition> partitions, OffsetSpec spec,
                                                     int timeoutMs) throws Exception {
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec)))
                .all().get(timeoutMs, TimeUnit.MILLISECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** The timestamp of the first record at or after {@code offset} (compaction leaves gaps); null if none came. */
    private static Long timestampAt(KafkaConsumer<byte[], byte[]> reader, TopicPartition tp, long offset, int timeoutMs) {
        reader.assign(List.of(tp));
        reader.seek(tp, offset);
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                return r.timestamp();
            }
        }
        return null;
    }
}
