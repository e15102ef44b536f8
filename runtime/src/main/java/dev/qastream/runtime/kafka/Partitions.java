package dev.qastream.runtime.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.List;

/**
 * Reading a whole topic without a consumer group: assign every partition, from the start or the end; and the
 * partition Kafka's default partitioner gives a string, for records routed by a part of their key or value.
 */
public final class Partitions {
    private Partitions() {
    }

    /** The partition of {@code numPartitions} that Kafka's default partitioner gives a key of these UTF-8 bytes. */
    public static int of(String routedBy, int numPartitions) {
        byte[] bytes = routedBy.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(bytes)) % numPartitions;
    }

    public static List<TopicPartition> assignAll(Consumer<?, ?> consumer, String topic, boolean fromStart) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        if (fromStart) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        return partitions;
    }
}
