package dev.qastream.sink.export;

import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.Partitions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a compacted topic from its start to its current end (committed records only) into a
 * {@link KeyedSpill}, as raw bytes: the newest value per key survives and tombstones delete, whatever
 * compaction has not done yet. Values stay in their wire format; the export decodes them one at a time.
 */
public final class TopicSpill {
    private TopicSpill() {
    }

    /** Whether the topic exists (one a cluster set up by an older version lacks, e.g. review.decisions). */
    public static boolean exists(KafkaSettings settings, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings.consumer(null), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<org.apache.kafka.common.PartitionInfo> partitions = consumer.partitionsFor(topic);
            return partitions != null && !partitions.isEmpty();
        }
    }

    /** Returns the number of records read. */
    public static long read(KafkaSettings settings, String topic, KeyedSpill spill, Consumer<String> progress) {
        Map<String, Object> props = settings.consumer(null);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        long read = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            if (consumer.partitionsFor(topic).isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            List<TopicPartition> partitions = Partitions.assignAll(consumer, topic, true);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            long t0 = System.nanoTime();
            long lastReport = t0;
            long idleSince = System.nanoTime();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> r : records) {
                    spill.put(r.key(), r.value());
                    read++;
                }
                long now = System.nanoTime();
                if (!records.isEmpty()) {
                    idleSince = now;
                } else if (now - idleSince > 60_000_000_000L) {
                    throw new IllegalStateException("no progress reading " + topic + " for 60 s");
                }
                if (now - lastReport > 2_000_000_000L) {
                    progress.accept(String.format("reading %s: %,d of at most %,d records (%.0f s)", topic, read, total,
                            (now - t0) / 1e9));
                    lastReport = now;
                }
            }
        }
        return read;
    }
}
