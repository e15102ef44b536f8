package dev.qastream.runtime.kafka;

import org.apache.kafka.common.serialization.Serializer;

import java.util.HashMap;
import java.util.Map;

/** Lets one transactional producer write differently typed values to several topics atomically. */
public final class TopicValueSerializer implements Serializer<Object> {
    private final Map<String, Serializer<Object>> byTopic = new HashMap<>();

    @SuppressWarnings("unchecked")
    public static TopicValueSerializer of(Topic<?, ?>... topics) {
        TopicValueSerializer s = new TopicValueSerializer();
        for (Topic<?, ?> t : topics) {
            s.byTopic.put(t.name(), (Serializer<Object>) t.valueSerde().serializer());
        }
        return s;
    }

    @Override
    public byte[] serialize(String topic, Object data) {
        Serializer<Object> serializer = byTopic.get(topic);
        if (serializer == null) {
            throw new IllegalArgumentException("no serializer for topic " + topic);
        }
        return serializer.serialize(topic, data);
    }
}
