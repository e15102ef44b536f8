package dev.qastream.ingest;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.schemas.DocumentRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What ingest already published, per document id, restored from the compacted ingest.documents topic
 * at start. This is what lets a restart re-send nothing that has not changed.
 */
final class DocumentStates {
    private final Map<String, DocumentRecord> byId = new ConcurrentHashMap<>();

    static DocumentStates load(ServiceContext ctx) {
        DocumentStates states = new DocumentStates();
        var topic = ctx.topics().documents;
        try (KafkaConsumer<String, DocumentRecord> consumer = new KafkaConsumer<>(ctx.kafka().consumer(null),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, DocumentRecord> r : consumer.poll(Duration.ofMillis(200))) {
                    states.apply(r.key(), r.value());
                }
            }
        }
        return states;
    }

    void apply(String documentId, DocumentRecord record) {
        if (record == null) {
            byId.remove(documentId);
        } else {
            byId.put(documentId, record);
        }
    }

    DocumentRecord get(String documentId) {
        return byId.get(documentId);
    }

    java.util.Set<String> ids() {
        return java.util.Set.copyOf(byId.keySet());
    }

    int size() {
        return byId.size();
    }
}
