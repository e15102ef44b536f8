package dev.qastream.launcher.report;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.kafka.Topic;
import dev.qastream.runtime.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the topics the report is made of, from the start and then as they grow, with no consumer group
 * (it commits nothing and disturbs no stage), committed records only, into a {@link ReportState}.
 * One consumer for all of them; values are decoded with each topic's own serde. The stages' dead-letter topics
 * hold records as they were, so only their headers (where from, why) are read.
 */
public final class ReportReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReportReader.class);

    private final Topics topics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final ReportState state = new ReportState();
    private long unreadable;

    public ReportReader(ServiceContext ctx) {
        this.topics = ctx.topics();
        this.consumer = new KafkaConsumer<>(ctx.kafka().rawConsumer(null));
        List<String> read = new ArrayList<>(List.of(Topics.INGEST_DOCUMENTS, Topics.INGEST_ERRORS,
                Topics.GENERATION_DLQ, Topics.SCORING_SCORED, Topics.DATASET_PAIRS, Topics.REVIEW_DECISIONS,
                Topics.COVERAGE_DOCUMENTS));
        read.addAll(Topics.STREAMS_DLQS);
        for (String topic : read) {
            // A topic not created yet (a stage's dead-letter topic on a cluster set up by an older version) has none.
            List<org.apache.kafka.common.PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos != null) {
                infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    public ReportState state() {
        return state;
    }

    /** Applies what one poll returns; the number of records read. */
    public int poll(Duration wait) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(wait);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            try {
                apply(r);
            } catch (RuntimeException e) {
                // One bad record must not stop the report; say so once in a while, not per record.
                if (unreadable++ % 1000 == 0) {
                    log.warn("report: skipping unreadable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                            e.toString());
                }
            }
        }
        return records.count();
    }

    /** Reads until every partition is at the end it had when this was called; the number of records read. */
    public long readToEnd(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + timeout.toNanos();
        long read = 0;
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("report: timed out reading the topics after " + timeout);
            }
            read += poll(Duration.ofMillis(200));
        }
        return read;
    }

    /** Interrupts a {@link #poll} in progress from another thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
        switch (r.topic()) {
            case Topics.INGEST_DOCUMENTS -> state.document(key, value(topics.documents, r));
            case Topics.INGEST_ERRORS -> state.ingestError(value(topics.errors, r));
            case Topics.GENERATION_DLQ -> {
                if (r.value() == null) {
                    state.deadLetterRedriven(key);
                } else {
                    state.deadLetter(value(topics.deadLetters, r));
                }
            }
            case Topics.SCORING_SCORED -> state.scored(key, value(topics.scored, r));
            case Topics.DATASET_PAIRS -> state.datasetRecord(key, value(topics.dataset, r));
            case Topics.REVIEW_DECISIONS -> state.decision(key, value(topics.reviewDecisions, r));
            case Topics.COVERAGE_DOCUMENTS -> state.coverage(key, value(topics.coverage, r));
            case Topics.ROUTER_DLQ, Topics.SCORING_DLQ, Topics.SINK_DLQ, Topics.COVERAGE_DLQ -> state.stageDeadLetter(r.topic(),
                    header(r, "__streams.errors.topic") + "-" + header(r, "__streams.errors.partition") + "@"
                            + header(r, "__streams.errors.offset"),
                    header(r, "__streams.errors.exception") + ": " + header(r, "__streams.errors.message"), r.timestamp());
            default -> { }
        }
    }

    /** A header Kafka Streams sets on a dead letter ({@code __streams.errors.*}), "?" when absent. */
    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        org.apache.kafka.common.header.Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? "?" : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static <V> V value(Topic<String, V> topic, ConsumerRecord<byte[], byte[]> r) {
        return r.value() == null ? null : topic.valueSerde().deserializer().deserialize(r.topic(), r.headers(), r.value());
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

}
