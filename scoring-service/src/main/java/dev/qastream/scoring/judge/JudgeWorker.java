package dev.qastream.scoring.judge;

import dev.qastream.runtime.Secrets;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.kafka.OffsetLedger;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.JudgeRequest;
import dev.qastream.schemas.Judgement;
import dev.qastream.scoring.PairJudge;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The judge stage's worker, built like a generation worker: a plain consumer of scoring.judge.requests and a
 * transactional producer of scoring.judgements. Up to {@code scoring.judge.concurrency} model calls run at once on
 * call threads; the poll loop never waits on a model (it keeps polling, with its partitions paused while enough work
 * is queued), and the verdicts that are ready are written every {@link #FLUSH_INTERVAL_MS} in one short
 * transaction with the offsets of the decided prefix of each partition. A judge that fails gives a verdict saying
 * so (the pair is then scored without the judge), never a retry loop. One transactional id per instance: N
 * instances share the partitions; zombies are fenced by the consumer group generation.
 */
final class JudgeWorker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(JudgeWorker.class);
    static final long FLUSH_INTERVAL_MS = 100;
    /** A transaction spans one write of ready verdicts (milliseconds): a crashed instance's is aborted soon. */
    static final int TRANSACTION_TIMEOUT_MS = 30_000;

    private final PairJudge judge;
    private final String unavailable;
    private final int concurrency;
    private final int maxHeld;
    private final JudgeMetrics metrics;
    private final String requestTopic;
    private final String verdictTopic;
    private final KafkaConsumer<String, JudgeRequest> consumer;
    private final KafkaProducer<String, Judgement> producer;
    private final Serializer<Judgement> verdicts;
    private final ExecutorService calls;
    private final OffsetLedger<JudgeJob> ledger = new OffsetLedger<>();
    /** Jobs waiting for a call slot; poll-loop thread only. */
    private final Queue<JudgeJob> ready = new ArrayDeque<>();
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private long lastFlushMs;
    private volatile boolean running = true;
    private volatile boolean alive = true;

    /**
     * @param judge       the judge to ask; {@link PairJudge#NONE} (the tier has no model server) answers every
     *                    request with a verdict that says so, so that no pair waits for ever
     * @param concurrency judge calls in flight at most
     */
    JudgeWorker(ServiceContext ctx, PairJudge judge, String tier, int concurrency, String groupId, JudgeMetrics metrics) {
        this.judge = judge;
        this.unavailable = "the judge's tier " + tier + " has no model server";
        this.concurrency = Math.max(1, concurrency);
        this.maxHeld = Math.max(8 * this.concurrency, 32);
        this.metrics = metrics;
        Topics topics = ctx.topics();
        this.requestTopic = topics.judgeRequests.name();
        this.verdictTopic = topics.judgements.name();
        Map<String, Object> consumerProps = ctx.kafka().consumer(groupId);
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(2 * this.concurrency, 8));
        this.consumer = new KafkaConsumer<>(consumerProps, topics.judgeRequests.keySerde().deserializer(),
                topics.judgeRequests.valueSerde().deserializer());
        Map<String, Object> producerProps = ctx.kafka().transactionalProducer(groupId + "-" + UUID.randomUUID().toString().substring(0, 8));
        producerProps.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
        this.verdicts = topics.judgements.valueSerde().serializer();
        this.producer = new KafkaProducer<>(producerProps, topics.judgements.keySerde().serializer(), verdicts);
        this.calls = Executors.newFixedThreadPool(this.concurrency, r -> {
            Thread t = new Thread(r, "judge-call");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            warmUp();
            consumer.subscribe(List.of(requestTopic), new Rebalance());
            log.info("judge worker consuming ({} calls in flight at most, model {})", concurrency,
                    judge == PairJudge.NONE ? "none: " + unavailable : judge.model());
            while (running) {
                drainCompletions();
                startCalls();
                holdOrResume();
                poll();
                drainCompletions();
                startCalls();
                if (System.currentTimeMillis() - lastFlushMs >= FLUSH_INTERVAL_MS || idleWithVerdicts()) {
                    flush(null);
                }
            }
            drainCompletions();
            flush(null);
        } finally {
            alive = false;
            calls.shutdownNow();
            closeQuietly();
        }
    }

    boolean working() {
        return alive;
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }

    /** Releases the clients of a worker that was made but never run. */
    void discard() {
        alive = false;
        calls.shutdownNow();
        closeQuietly();
    }

    /**
     * Before taking partitions: the metadata of the topics and the verdict's schema (the producer's own serializer
     * registers or looks it up), so the first write does not stall, and an unreachable registry fails the start.
     */
    private void warmUp() {
        producer.partitionsFor(verdictTopic);
        verdicts.serialize(verdictTopic, Judgement.newBuilder().setCacheKey("").setRevision(0).setModel("")
                .setPromptVersion("").setJudgedAtMs(0).build());
    }

    private boolean idleWithVerdicts() {
        return inFlight.get() == 0 && ready.isEmpty() && ledger.size() > 0 && System.currentTimeMillis() - lastFlushMs >= 10;
    }

    private void poll() {
        try {
            for (ConsumerRecord<String, JudgeRequest> r : consumer.poll(Duration.ofMillis(100))) {
                JudgeJob job = new JudgeJob(r);
                ledger.add(job);
                if (r.value() == null) {
                    job.skipped = true;
                } else {
                    ready.add(job);
                }
            }
        } catch (WakeupException e) {
            // A call finished (or the worker is stopping): back to the loop.
        } catch (RecordDeserializationException e) {
            if (dev.qastream.runtime.serde.Transport.registryUnavailable(e)) {
                // The registry is away (restarting, 5xx), not the record bad: read the same record again shortly.
                log.warn("judge worker: the schema registry cannot be reached to read {} offset {}; trying again in 1 s",
                        e.topicPartition(), e.offset());
                consumer.seek(e.topicPartition(), e.offset());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            // A record no schema can read would hold its partition for ever: log it, step over it, commit its offset.
            log.error("judge worker: skipping unreadable request at {} offset {}: {}", e.topicPartition(), e.offset(),
                    e.getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
            ledger.add(JudgeJob.skipped(e.topicPartition(), e.offset()));
        }
    }

    private void startCalls() {
        while (inFlight.get() < concurrency && !ready.isEmpty()) {
            JudgeJob job = ready.poll();
            if (job.dropped) {
                continue;
            }
            inFlight.incrementAndGet();
            calls.execute(() -> call(job));
        }
    }

    /** On a call thread: the only place the model is asked. */
    private void call(JudgeJob job) {
        long start = System.nanoTime();
        PairJudge.Verdict verdict;
        try {
            JudgeRequest r = job.request();
            verdict = judge == PairJudge.NONE ? PairJudge.Verdict.unavailable(unavailable) : judge.safeVerdict(r.getPair(), r.getChunk());
        } catch (RuntimeException | Error e) {
            // the reason is written to scoring.judgements: a server's error may quote the API key
            verdict = PairJudge.Verdict.unavailable(Secrets.redact(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        inFlight.decrementAndGet();
        completions.add(new Completion(job, verdict, Duration.ofNanos(System.nanoTime() - start)));
        consumer.wakeup(); // the loop may be in poll(): decide now and start the next call
    }

    private record Completion(JudgeJob job, PairJudge.Verdict verdict, Duration latency) {
    }

    private void drainCompletions() {
        for (Completion c; (c = completions.poll()) != null; ) {
            metrics.call(c.verdict().score().isPresent() ? "judged" : "unavailable", c.latency());
            if (c.job().dropped) {
                continue;
            }
            JudgeRequest r = c.job().request();
            PairJudge.Verdict v = c.verdict();
            c.job().verdict = Judgement.newBuilder()
                    .setCacheKey(r.getCacheKey())
                    .setRevision(r.getPair().getRevision())
                    .setScore(v.score().isPresent() ? v.score().getAsDouble() : null)
                    .setReason(v.score().isPresent() ? null : v.problem() == null ? "no opinion" : v.problem())
                    .setModel(judge.model())
                    .setPromptVersion(judge.promptVersion())
                    .setJudgedAtMs(System.currentTimeMillis())
                    .build();
        }
    }

    /** Pauses every assigned partition while enough work is queued or too many verdicts are held; resumes otherwise. */
    private void holdOrResume() {
        ready.removeIf(j -> j.dropped);
        if (ready.size() >= concurrency || ledger.size() >= maxHeld) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    /**
     * Writes the decided prefix of each partition (all, or only {@code only}) with its offsets in one transaction.
     * On an abortable error the verdicts stay held for the next write; a fatal one (fenced) ends the worker, which
     * the service starts again.
     */
    private void flush(Collection<TopicPartition> only) {
        lastFlushMs = System.currentTimeMillis();
        List<JudgeJob> decided = ledger.decidedPrefix(only);
        if (decided.isEmpty()) {
            return;
        }
        try {
            producer.beginTransaction();
            for (JudgeJob job : decided) {
                if (!job.skipped) {
                    producer.send(new ProducerRecord<>(verdictTopic, job.record.key(), job.verdict));
                }
            }
            producer.sendOffsetsToTransaction(OffsetLedger.nextOffsets(decided), consumer.groupMetadata());
            producer.commitTransaction();
        } catch (KafkaException e) {
            log.warn("judge worker: transaction aborted, {} verdicts held for the next write: {}", decided.size(), e.toString());
            try {
                producer.abortTransaction();
            } catch (KafkaException fatal) {
                throw e;
            }
            return;
        }
        ledger.committed(decided);
    }

    /** Revoked partitions: write what is decided, drop the rest (their verdicts are discarded, not written). */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            drainCompletions();
            flush(partitions);
            ledger.drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            ledger.drop(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                log.info("judge worker assigned {}", partitions);
            }
        }
    }

    private void closeQuietly() {
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.debug("judge worker: consumer close failed", e);
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.debug("judge worker: producer close failed", e);
        }
        try {
            calls.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
