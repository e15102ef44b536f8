package dev.qastream.ingest;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.kafka.TopicValueSerializer;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentRecord;
import dev.qastream.schemas.IngestError;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

/**
 * Kafka's side of ingest: one transactional producer that sends documents' records, chunks, tombstones and
 * errors into one transaction at a time. {@link TransactionalWriter} decides what goes into a transaction and
 * replaces the publisher when a write fails.
 */
final class DocumentPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DocumentPublisher.class);
    private final Topics topics;
    private final KafkaProducer<String, Object> producer;
    private final KafkaClientMetrics producerMetrics;
    private boolean inTransaction;

    DocumentPublisher(ServiceContext ctx, String transactionalId) {
        this.topics = ctx.topics();
        Map<String, Object> props = ctx.kafka().transactionalProducer(transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, ctx.config().integer("ingest.transaction-timeout-ms"));
        this.producer = new KafkaProducer<>(props,
                topics.documents.keySerde().serializer(),
                TopicValueSerializer.of(topics.documents, topics.chunks, topics.errors));
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(ctx.meters());
    }

    void begin() {
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
        }
    }

    void chunk(Chunk chunk) {
        producer.send(new ProducerRecord<>(topics.chunks.name(), chunk.getChunkId(), chunk));
    }

    void removeChunk(String chunkId) {
        producer.send(new ProducerRecord<>(topics.chunks.name(), chunkId, null));
    }

    void document(String documentId, DocumentRecord record) {
        producer.send(new ProducerRecord<>(topics.documents.name(), documentId, record));
    }

    void error(IngestError error) {
        producer.send(new ProducerRecord<>(topics.errors.name(), error.getPath(), error));
    }

    /** Commits what was sent since {@link #begin()}; on failure the caller aborts or closes. */
    void commit() {
        if (!inTransaction) {
            return;
        }
        try {
            producer.commitTransaction();
        } catch (TimeoutException e) {
            // The commit may still complete: waiting for it again is how to learn its outcome, where writing the
            // records again with a new producer could write them twice.
            producer.commitTransaction();
        }
        inTransaction = false;
    }

    /** Aborts the open transaction, if any; a producer that can no longer abort is closed by the caller. */
    void abort() {
        if (!inTransaction) {
            return;
        }
        inTransaction = false;
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            log.debug("ingest: abort failed ({}); the next producer aborts what this one left open", e.toString());
        }
    }

    static String chunkId(String documentId, int ordinal) {
        return documentId + "#" + ordinal;
    }

    @Override
    public void close() {
        producerMetrics.close();
        producer.close(Duration.ofSeconds(5));
    }
}
