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
import org.apache.kafka.common.KafkaException;

import java.time.Duration;
import java.util.Map;

/**
 * Writes a document's record, its chunks, tombstones and errors in one transaction, so a crash
 * never leaves a document recorded as ingested without its chunks, or chunks without their document.
 */
final class DocumentPublisher implements AutoCloseable {
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
        producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(ctx.meters());
        producer.initTransactions();
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

    /** Commits what was sent since {@link #begin()}; on failure aborts and rethrows. */
    void commit() {
        if (!inTransaction) {
            return;
        }
        try {
            producer.commitTransaction();
        } catch (KafkaException e) {
            producer.abortTransaction();
            throw e;
        } finally {
            inTransaction = false;
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
