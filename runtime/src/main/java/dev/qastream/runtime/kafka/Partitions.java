package dev.qastream.runtime.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.List;

/** Reading a whole topic without a consumer group: assign every partition, from the start or the end. */
public final class Partitions {
    private Partitions() {
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
