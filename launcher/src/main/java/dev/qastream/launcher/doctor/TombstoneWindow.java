package dev.qastream.launcher.doctor;

import dev.qastream.runtime.kafka.ConsumerLag;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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

    static List<Behind> find(Admin admin, ConsumerLag offsets, Set<String> compactedTopics, long retentionMs, long nowMs,
                             int timeoutMs) throws Exception {
        List<String> groups = admin.listConsumerGroups().all().get(timeoutMs, TimeUnit.MILLISECONDS).stream()
                .map(ConsumerGroupListing::groupId).filter(g -> g.startsWith("qastream")).sorted().toList();
        List<Behind> out = new ArrayList<>();
        for (String group : groups) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS).entrySet().stream()
                    .filter(e -> e.getValue() != null && compactedTopics.contains(e.getKey().topic()))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            if (committed.isEmpty()) {
                continue;
            }
            Set<String> topics = committed.keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet());
            Map<TopicPartition, Long> start = offsets.startOffsets(topics);
            Map<TopicPartition, Long> end = offsets.endOffsets(topics);
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
                Long written = offsets.timestampAt(tp, next);
                if (written != null && nowMs - written > retentionMs) {
                    out.add(new Behind(group, tp, "the next record it reads was written " + (nowMs - written) / 3_600_000 + " h ago"));
                }
            }
        }
        return out;
    }
}
