package dev.qastream.runtime.streams;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;

/** What the dead-lettering handlers share. */
final class DeadLetters {
    private DeadLetters() {
    }

    /**
     * The dead-letter topic of the app's configuration; an app without one would skip bad records silently, which
     * is never wanted here, so that is a configuration error.
     */
    static String requireTopic(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new ConfigException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
                    + " must name the app's dead-letter topic: a record skipped without one would be lost");
        }
        return topic.toString();
    }
}
