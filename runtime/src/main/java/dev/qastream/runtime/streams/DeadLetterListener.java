package dev.qastream.runtime.streams;

import java.util.Map;

/**
 * Told of each record a Streams app sent to its dead-letter topic, so /health can name it. Kafka Streams creates
 * the handlers from class names; the listener reaches them as an object in the app's configuration.
 */
@FunctionalInterface
public interface DeadLetterListener {
    /** The configuration key the listener is given under (not a Kafka setting). */
    String CONFIG = "qastream.dead-letter.listener";

    /** @param offset -1 when the failure was not about one input record (a punctuation) */
    void deadLettered(String topic, int partition, long offset, Exception cause);

    static DeadLetterListener from(Map<String, ?> configs) {
        return configs.get(CONFIG) instanceof DeadLetterListener listener ? listener : (t, p, o, e) -> { };
    }
}
