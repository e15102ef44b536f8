package dev.qastream.scoring.judge;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests the judge worker holds, per partition in offset order. Verdicts are written, and offsets committed,
 * only for the decided prefix of each partition: the committed offset never passes a request whose verdict is not
 * in the same or an earlier transaction, so a crash re-delivers exactly the requests not answered yet, and the
 * verdicts of one pair key (one partition) are written in the order they were asked.
 */
final class JudgeLedger {
    private final Map<TopicPartition, ArrayDeque<JudgeJob>> byPartition = new HashMap<>();
    private int size;

    void add(JudgeJob job) {
        byPartition.computeIfAbsent(job.partition, tp -> new ArrayDeque<>()).add(job);
        size++;
    }

    int size() {
        return size;
    }

    /** The decided prefix of each partition (all partitions when {@code only} is null). */
    List<JudgeJob> decidedPrefix(Collection<TopicPartition> only) {
        List<JudgeJob> out = new ArrayList<>();
        byPartition.forEach((tp, jobs) -> {
            if (only == null || only.contains(tp)) {
                for (JudgeJob j : jobs) {
                    if (!j.decided()) {
                        break;
                    }
                    out.add(j);
                }
            }
        });
        return out;
    }

    /** Offsets to commit with {@code written}: one past the last written request of each partition. */
    static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<JudgeJob> written) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (JudgeJob j : written) {
            offsets.merge(j.partition, new OffsetAndMetadata(j.record.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    /** Forgets the jobs whose verdicts were committed (they are the heads of their partitions). */
    void committed(List<JudgeJob> written) {
        for (JudgeJob j : written) {
            ArrayDeque<JudgeJob> jobs = byPartition.get(j.partition);
            if (jobs != null && jobs.peekFirst() == j) {
                jobs.pollFirst();
                size--;
            }
        }
        byPartition.values().removeIf(ArrayDeque::isEmpty);
    }

    /** Drops every job of these partitions (revoked or lost): marked, so late verdicts are discarded. */
    void drop(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            ArrayDeque<JudgeJob> jobs = byPartition.remove(tp);
            if (jobs != null) {
                jobs.forEach(j -> j.dropped = true);
                size -= jobs.size();
            }
        }
    }
}
