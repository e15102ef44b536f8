package dev.qastream.review;

import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentCoverage;
import dev.qastream.schemas.ReviewDecision;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads scoring.scored, ingest.chunks, review.decisions and coverage.documents from the beginning into the
 * store, and keeps reading: a plain consumer on every partition (no group: nothing to commit, every start reads it all again).
 * A record no schema can read is skipped with a warning; one that fails because the registry cannot be
 * reached is read again once it can.
 */
final class TopicFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicFeed.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ReviewStore store;
    private final Deserializer<ScoredPair> scored;
    private final Deserializer<Chunk> chunks;
    private final Deserializer<ReviewDecision> decisions;
    private final Deserializer<DocumentCoverage> coverage;
    private final Thread thread;
    private volatile Map<TopicPartition, Long> endAtStart;
    private volatile boolean caughtUp;
    private volatile boolean running = true;

    TopicFeed(KafkaSettings kafka, Topics topics, ReviewStore store) {
        Map<String, Object> settings = kafka.rawConsumer(null);
        // Asking for a topic the stack lacks must never create it (with the wrong cleanup policy, say).
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.consumer = new KafkaConsumer<>(settings);
        this.store = store;
        this.scored = topics.scored.valueSerde().deserializer();
        this.chunks = topics.chunks.valueSerde().deserializer();
        this.decisions = topics.reviewDecisions.valueSerde().deserializer();
        this.coverage = topics.coverage.valueSerde().deserializer();
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.INGEST_CHUNKS, Topics.SCORING_SCORED, Topics.REVIEW_DECISIONS)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist: is this the pipeline's cluster?");
            }
            infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
        // A stack from before the coverage stage has no coverage.documents: the workbench works without it.
        List<PartitionInfo> coverageInfos = consumer.partitionsFor(Topics.COVERAGE_DOCUMENTS, Duration.ofSeconds(30));
        if (coverageInfos == null || coverageInfos.isEmpty()) {
            log.info("no topic {}: the workbench shows no coverage", Topics.COVERAGE_DOCUMENTS);
        } else {
            coverageInfos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        endAtStart = consumer.endOffsets(partitions);
        thread = Thread.ofPlatform().daemon().name("review-feed").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Whether everything on the topics when the feed started has been read. */
    boolean caughtUp() {
        return caughtUp;
    }

    /** Waits until {@link #caughtUp()}; false on timeout. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (!caughtUp && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        return caughtUp;
    }

    private void run() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(200));
                ConsumerRecord<byte[], byte[]>[] retry = new ConsumerRecord[1];
                store.inOneTransaction(() -> {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        if (!apply(r)) {
                            retry[0] = r;
                            return;
                        }
                    }
                });
                if (retry[0] != null) {
                    // The registry is unreachable: read from this record again after a pause.
                    for (TopicPartition tp : records.partitions()) {
                        var from = records.records(tp);
                        long next = tp.topic().equals(retry[0].topic()) && tp.partition() == retry[0].partition()
                                ? retry[0].offset() : from.getFirst().offset();
                        consumer.seek(tp, next);
                    }
                    Thread.sleep(1000);
                    continue;
                }
                if (!caughtUp) {
                    caughtUp = endAtStart.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                }
            }
        } catch (WakeupException | InterruptedException stopping) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            log.error("the review workbench stopped reading the topics: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** @return false when the record must be read again later */
    private boolean apply(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
        if (key == null) {
            return true;
        }
        try {
            switch (r.topic()) {
                case Topics.SCORING_SCORED -> store.putScored(key, r.value() == null ? null : scored.deserialize(r.topic(), r.value()));
                case Topics.INGEST_CHUNKS -> store.putChunk(key, r.value() == null ? null : chunks.deserialize(r.topic(), r.value()));
                case Topics.REVIEW_DECISIONS -> store.putDecision(key,
                        r.value() == null ? null : decisions.deserialize(r.topic(), r.value()), r.offset());
                case Topics.COVERAGE_DOCUMENTS -> store.putCoverage(key,
                        r.value() == null ? null : coverage.deserialize(r.topic(), r.value()));
                default -> { }
            }
            return true;
        } catch (RuntimeException e) {
            if (transientFailure(e)) {
                log.warn("cannot read {}@{} yet ({}); trying again", r.topic(), r.offset(), e.toString());
                return false;
            }
            log.warn("skipping unreadable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
            return true;
        }
    }

    private static boolean transientFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
