package dev.qastream.review;

import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.Topic;
import dev.qastream.schemas.ReviewDecision;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Writes decisions to review.decisions (idempotent, acks=all) and answers with the record's offset. */
final class DecisionWriter implements AutoCloseable {
    private final KafkaProducer<String, ReviewDecision> producer;
    private final String topic;

    DecisionWriter(KafkaSettings kafka, Topic<String, ReviewDecision> topic) {
        // KafkaSettings.producer is idempotent with acks=all: a decision is kept once, on every replica.
        this.producer = new KafkaProducer<>(kafka.producer("qastream-review"), topic.keySerde().serializer(),
                topic.valueSerde().serializer());
        this.topic = topic.name();
    }

    /** @param decision null withdraws the pair's decision (a tombstone) */
    long write(String pairKey, ReviewDecision decision) {
        try {
            return producer.send(new ProducerRecord<>(topic, pairKey, decision)).get(30, TimeUnit.SECONDS).offset();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write the decision to " + topic + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not confirm the decision within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
