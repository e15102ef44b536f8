package dev.qastream.scoring;

import dev.qastream.runtime.kafka.Partitions;
import org.apache.kafka.streams.processor.StreamPartitioner;

import java.util.Optional;
import java.util.Set;

/**
 * Keys of the candidates topic, between scoring and deduplication: dedup group + NUL + pair key. Each pair key
 * keeps its own record under compaction (so the topic holds one envelope per live pair, not every one ever
 * scored), while the partitioner sends a whole group to one partition, where its dedup state lives.
 */
final class Candidates {
    private static final char SEP = '\u0000';

    private Candidates() {
    }

    static String key(String group, String pairKey) {
        return group + SEP + pairKey;
    }

    static String group(String key) {
        int i = key.indexOf(SEP);
        return i < 0 ? key : key.substring(0, i);
    }

    /** Partition by the group alone, hashed as Kafka's default partitioner hashes a key. */
    static final class ByGroup implements StreamPartitioner<String, Envelope> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, Envelope value, int numPartitions) {
            return Optional.of(Set.of(Partitions.of(group(key), numPartitions)));
        }
    }
}
