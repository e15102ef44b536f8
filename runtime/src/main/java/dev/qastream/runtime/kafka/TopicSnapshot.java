package dev.qastream.runtime.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a topic from the start to its current end (committed records only). Right after a transaction
 * commits, its markers may not be written yet, and its records then fall just past the end read here.
 */
public final class TopicSnapshot {
    private TopicSnapshot() {
    }

    public static <K, V> List<ConsumerRecord<K, V>> records(KafkaSettings settings, Topic<K, V> topic) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(settings.consumer(null),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = Partitions.assignAll(consumer, topic.name(), true);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic.name());
                }
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return out;
    }

    /** The newest value per key, tombstones removing keys: what compaction converges to. */
    public static <K, V> Map<K, V> latest(KafkaSettings settings, Topic<K, V> topic) {
        Map<K, V> latest = new LinkedHashMap<>();
        latestRecords(settings, topic).forEach((k, r) -> latest.put(k, r.value()));
        return latest;
    }

    /** The newest record per key (with its offset, e.g. a chunk's revision), tombstones removing keys. */
    public static <K, V> Map<K, ConsumerRecord<K, V>> latestRecords(KafkaSettings settings, Topic<K, V> topic) {
        Map<K, ConsumerRecord<K, V>> latest = new LinkedHashMap<>();
        for (ConsumerRecord<K, V> r : records(settings, topic)) {
            if (r.value() == null) {
                latest.remove(r.key());
            } else {
                latest.put(r.key(), r);
            }
        }
        return latest;
    }
}
