package dev.qastream.generation;

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
 * The requests a worker holds, per partition in offset order. Results are written, and offsets committed,
 * only for the decided prefix of each partition: a request decided out of order waits for the ones before
 * it, so the committed offset never passes a request whose result is not in the same or an earlier
 * transaction, and a crash re-delivers exactly the requests whose results were not committed.
 */
final class PartitionLedger {
    private final Map<TopicPartition, ArrayDeque<GenerationJob>> byPartition = new HashMap<>();
    private int size;

    void add(GenerationJob job) {
        byPartition.computeIfAbsent(job.partition, tp -> new ArrayDeque<>()).add(job);
        size++;
    }

    int size() {
        return size;
    }

    /** The decided prefix of each partition (all partitions when {@code only} is null). */
    List<GenerationJob> decidedPrefix(Collection<TopicPartition> only) {
        List<GenerationJob> out = new ArrayList<>();
        byPartition.forEach((tp, jobs) -> {
            if (only == null || only.contains(tp)) {
                for (GenerationJob j : jobs) {
                    if (j.outcome == null) {
                        break;
                    }
                    out.add(j);
                }
            }
        });
        return out;
    }

    /** Every job held for these partitions, decided or not. */
    List<GenerationJob> jobsOf(Collection<TopicPartition> partitions) {
        List<GenerationJob> out = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            ArrayDeque<GenerationJob> jobs = byPartition.get(tp);
            if (jobs != null) {
                out.addAll(jobs);
            }
        }
        return out;
    }

    /** Offsets to commit with {@code written}: one past the last written request of each partition. */
    static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<GenerationJob> written) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (GenerationJob j : written) {
            offsets.merge(j.partition, new OffsetAndMetadata(j.record.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    /** Forgets the jobs whose results were committed (they are the heads of their partitions). */
    void committed(List<GenerationJob> written) {
        for (GenerationJob j : written) {
            ArrayDeque<GenerationJob> jobs = byPartition.get(j.partition);
            if (jobs != null && jobs.peekFirst() == j) {
                jobs.pollFirst();
                size--;
            }
        }
        byPartition.values().removeIf(ArrayDeque::isEmpty);
    }

    /** Drops every job of these partitions (revoked or lost): marked, so late results are discarded. */
    void drop(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            ArrayDeque<GenerationJob> jobs = byPartition.remove(tp);
            if (jobs != null) {
                jobs.forEach(j -> j.dropped = true);
                size -= jobs.size();
            }
        }
    }
}
