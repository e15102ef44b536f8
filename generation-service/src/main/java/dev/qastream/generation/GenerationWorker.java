package dev.qastream.generation;

import dev.qastream.llm.GenerationException;
import dev.qastream.llm.PairGenerator;
import dev.qastream.llm.Generation;
import dev.qastream.llm.GeneratedPair;

import dev.qastream.generation.GenerationJob.DeadLettered;
import dev.qastream.generation.GenerationJob.Escalated;
import dev.qastream.generation.GenerationJob.Produced;
import dev.qastream.generation.worker.Backoff;
import dev.qastream.generation.worker.CacheView;
import dev.qastream.generation.worker.EmptyChunks;
import dev.qastream.generation.worker.ModelServers;
import dev.qastream.generation.worker.ModelServers.ModelServer;
import dev.qastream.generation.worker.RevisionView;
import dev.qastream.generation.worker.RoundSlots;
import dev.qastream.generation.worker.Supervisor;
import dev.qastream.generation.worker.UnreadableRequests;
import dev.qastream.generation.worker.WorkerMetrics;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.OffsetLedger;
import dev.qastream.runtime.kafka.TopicValueSerializer;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.CachedPair;
import dev.qastream.schemas.GenerationCacheEntry;
import dev.qastream.schemas.GenerationRequest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One tier's worker. Keeps up to K = {@code tiers.<tier>.max-concurrency} model calls in flight at all times
 * (no batch barrier), each also holding a slot of its model server; the poll loop never waits on a model:
 * it keeps polling (partitions paused while the tier has enough work queued, or its server's breaker is
 * open), so max.poll.interval.ms holds whatever the model's latency. A transaction is opened only to write
 * results that are ready, every {@code generation.flush-interval-ms}, with the offsets of the decided prefix
 * of each partition ({@link Flush}). Retries wait in a queue, not on a slot. One transactional id per instance:
 * N instances of a tier share its partitions; zombies are fenced by the consumer group generation (EOS v2).
 *
 * <p>The consumer uses the consumer group protocol of {@code generation.group-protocol} (by default KIP-848's:
 * a rebalance revokes only the partitions that move, and never stops the others), with static membership when
 * {@code generation.instance-id} names this process: a worker restarted within the session timeout gets its
 * partitions back without a rebalance. Model work is kept across rebalances: a result is put in this process's
 * cache view as soon as it is decided, and the cache entries of results that a revoked partition takes away are
 * still written (without offsets). Request records that cannot be read are waited for when the registry is
 * away, and dead-lettered as raw bytes otherwise ({@link UnreadableRequests}).
 */
final class GenerationWorker implements Supervisor.Supervised {
    private static final Logger log = LoggerFactory.getLogger(GenerationWorker.class);

    private final String tier;
    private final PairGenerator generator;
    private final Config config;
    private final Topics topics;
    private final int concurrency;
    /** The calls this tier may run: its max-concurrency, or its server's slots when idle slots are lent. */
    private final int reach;
    private final int retries;
    private final int maxTransientPerChunk;
    /** When this worker last had an answer from its model server (any chunk); poll-loop thread only. */
    private long lastAnswerNanos = System.nanoTime() - 1;
    private final int maxHeld;
    private final long flushIntervalMs;
    private final Backoff backoff;
    private final boolean cacheable;
    private final CacheView cache;
    private final boolean ownsCache;
    private final RevisionView revisions;
    private final boolean ownsRevisions;
    private final UnreadableRequests unreadable;
    private final Flush flusher;
    private final ModelServer server;
    private final WorkerMetrics metrics;
    private final JobRecords records;
    private final KafkaConsumer<String, GenerationRequest> consumer;
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    /** Released when a model call ends: what the loop waits on while every partition is held. */
    private final Semaphore callEnded = new Semaphore(0);
    private final KafkaProducer<String, Object> producer;
    private final TopicValueSerializer values;
    private final ModelCalls calls;
    private final OffsetLedger<GenerationJob> ledger = new OffsetLedger<>();
    /** Jobs waiting for their retry time; poll-loop thread only. */
    private final PriorityQueue<GenerationJob> delayed = new PriorityQueue<>(Comparator.comparingLong(j -> j.readyAtMs));
    private long lastFlushMs;
    /** The last write of results was aborted (they are held for the next); poll-loop thread only. */
    private boolean lastWriteFailed;
    private volatile boolean running = true;
    private volatile boolean alive = true;
    private volatile Set<TopicPartition> assigned = Set.of();

    /** A worker with its own cache view, revision view and server slots (tests, tools). */
    GenerationWorker(ServiceContext ctx, String tier, PairGenerator generator, String groupId) {
        this(ctx, tier, generator, groupId, new CacheView(ctx.kafka(), ctx.topics().cache,
                        ctx.config().integer("generation.cache.keep-prompt-versions")),
                new ModelServers(ctx.config(), ctx.meters()), new EmptyChunks(), true,
                new RevisionView(ctx.kafka(), Topics.INGEST_CHUNKS), true);
    }

    /** With the process's cache view and server slots, and a revision view of its own (tests). */
    GenerationWorker(ServiceContext ctx, String tier, PairGenerator generator, String groupId,
                     CacheView cache, ModelServers servers, EmptyChunks empty) {
        this(ctx, tier, generator, groupId, cache, servers, empty, false,
                new RevisionView(ctx.kafka(), Topics.INGEST_CHUNKS), true);
    }

    /** With the process's cache view, server slots and revision view (the service). */
    GenerationWorker(ServiceContext ctx, String tier, PairGenerator generator, String groupId,
                     CacheView cache, ModelServers servers, EmptyChunks empty, RevisionView revisions) {
        this(ctx, tier, generator, groupId, cache, servers, empty, false, revisions, false);
    }

    private GenerationWorker(ServiceContext ctx, String tier, PairGenerator generator, String groupId,
                             CacheView cache, ModelServers servers, EmptyChunks empty, boolean ownsCache,
                             RevisionView revisions, boolean ownsRevisions) {
        this.tier = tier;
        this.generator = generator;
        this.config = ctx.config();
        this.topics = ctx.topics();
        this.concurrency = Math.max(1, config.integer("tiers." + tier + ".max-concurrency"));
        this.server = servers.forTier(config, tier, generator.backend());
        // Work is read ahead for the calls the tier may run, lent slots included.
        this.reach = server == null ? concurrency
                : server.reach(concurrency, config.bool("tiers." + tier + ".borrow-idle-slots"));
        this.retries = Math.max(0, config.integer("tiers." + tier + ".retries"));
        this.maxTransientPerChunk = Math.max(1, config.integer("generation.max-transient-failures-per-chunk"));
        this.maxHeld = Math.max(8 * reach, 32);
        this.flushIntervalMs = config.longValue("generation.flush-interval-ms");
        this.backoff = new Backoff(config.longValue("generation.retry-backoff-ms"), config.longValue("generation.retry-max-backoff-ms"));
        // The builtin generator costs nothing and follows the code, not a prompt version: not cached.
        this.cacheable = !ModelServers.isBuiltin(generator.backend());
        this.cache = cache;
        this.ownsCache = ownsCache;
        this.metrics = new WorkerMetrics(ctx.meters(), tier);
        this.records = new JobRecords(tier, topics, RoundSlots.of(config), metrics, cache, empty);
        this.revisions = revisions;
        this.ownsRevisions = ownsRevisions;
        this.unreadable = new UnreadableRequests(tier, metrics);

        Map<String, Object> consumerProps = ctx.kafka().consumer(groupId);
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(2 * reach, 8));
        // The loop polls every ~100 ms whatever the model does, so this bounds only a stuck worker thread.
        int maxPollIntervalMs = config.integer("generation.max-poll-interval-ms");
        consumerProps.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, maxPollIntervalMs);
        membership(consumerProps, config, tier);
        this.consumer = new KafkaConsumer<>(consumerProps, topics.request(tier).keySerde().deserializer(),
                topics.request(tier).valueSerde().deserializer());
        String transactionalId = groupId + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> producerProps = ctx.kafka().transactionalProducer(transactionalId);
        // A transaction lives only for one write of ready results (milliseconds); a short timeout lets the broker
        // abort the open transaction of a crashed instance soon, so read_committed readers are not held up long.
        producerProps.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, config.integer("generation.transaction-timeout-ms"));
        // A write that follows the previous commit within moments meets CONCURRENT_TRANSACTIONS while that commit's
        // markers are written, and is retried after retry.backoff.ms: at the default 100 ms that stalled the poll loop
        // for a tenth of a second per flush. Retries back off exponentially from here (retry.backoff.max.ms).
        producerProps.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
        this.values = TopicValueSerializer.of(topics.pairs, topics.deadLetters, topics.requestDeadLetters, topics.cache,
                topics.request("fast"), topics.request("balanced"), topics.request("quality"));
        this.producer = new KafkaProducer<>(producerProps, topics.pairs.keySerde().serializer(), values);
        // A commit that times out is retried for up to half the poll interval: the member is not dropped meanwhile.
        this.flusher = new Flush(tier, producer, records, revisions, metrics, topics.cache.name(), maxPollIntervalMs / 2);
        // A call that ends wakes the poll loop (it may be waiting in poll()) to decide the result and refill the
        // ready queue now, not up to a poll timeout later (with calls of a few hundred ms, a fifth of slot time).
        // Calls beyond the server's slots wait in the server's own queue, so a slot that frees starts its next
        // call at once instead of after this client's turn-around (reading the answer, sending the next request).
        this.calls = new ModelCalls(tier, generator, concurrency, reach, server, () -> {
            callEnded.release();
            consumer.wakeup();
        }, metrics::lentSlot);
    }

    /**
     * The group protocol (KIP-848's "consumer" by default; "classic" with the cooperative assignor, which also
     * moves only the partitions that change owner), and static membership when this process has an instance id.
     */
    private static void membership(Map<String, Object> props, Config config, String tier) {
        GroupProtocol protocol = GroupProtocol.of(config.string("generation.group-protocol").strip());
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol.name().toLowerCase());
        if (protocol == GroupProtocol.CLASSIC) {
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        String instanceId = config.string("generation.instance-id").strip();
        if (!instanceId.isEmpty()) {
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId + "-" + tier);
        }
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            OutputWarmUp.run(producer, values, topics);
            if (!cache.awaitCaughtUp(Duration.ofMinutes(5))) {
                throw new IllegalStateException("the generation cache view did not catch up");
            }
            consumer.subscribe(List.of(topics.request(tier).name()), new Rebalance());
            log.info("{} worker consuming ({} call{} in flight{}, backend {}, model {})", tier, concurrency,
                    concurrency == 1 ? "" : "s",
                    reach > concurrency ? ", up to " + reach + " while the other tiers on its server leave slots idle" : "",
                    generator.backend(), generator.model());
            while (running) {
                drainCompletions();
                startCalls();
                // Before polling too: the last results of a burst, decided just now, would otherwise wait out a
                // poll with nothing to wake it (a tenth of a second at the end of every batch).
                flushIfDue();
                holdOrResume();
                poll();
                startCalls();
                flushIfDue();
            }
            drainCompletions();
            flush(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            alive = false;
            calls.close();
            closeQuietly();
        }
    }

    private void flushIfDue() {
        if (System.currentTimeMillis() - lastFlushMs >= flushIntervalMs || idleWithResults()) {
            flush(null);
        }
    }

    /**
     * Nothing in flight or waiting, but results held: write them now rather than at the next flush interval
     * (the last results of a burst, or a batch answered from the cache).
     */
    private boolean idleWithResults() {
        // No time guard: nothing is running that a wait could batch with them. (One measured from the start of the
        // last write held the last result of a batch for a whole poll, a tenth of a second.) After a failed write,
        // though, the next waits for the flush interval rather than retrying in a tight loop.
        return !lastWriteFailed && calls.idle() && delayed.isEmpty() && ledger.size() > 0
                && !ledger.decidedPrefix(null).isEmpty();
    }

    /** The partitions this instance holds now (for tests and status). */
    Set<TopicPartition> assigned() {
        return assigned;
    }

    @Override
    public boolean working() {
        return alive;
    }

    @Override
    public void stop() {
        running = false;
        calls.stopTaking();
    }

    @Override
    public void discard() {
        alive = false;
        calls.close();
        closeQuietly();
    }

    private void poll() throws InterruptedException {
        Duration timeout = POLL_TIMEOUT;
        if (!consumer.assignment().isEmpty() && consumer.paused().containsAll(consumer.assignment())) {
            // Every partition held: the consumer's poll returns at once, again and again until its timeout, while
            // it holds records fetched for a paused partition (a core spent spinning). Wait here for a call to end
            // instead, then poll without waiting: for the group's liveness and its rebalances.
            callEnded.tryAcquire(POLL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            callEnded.drainPermits();
            timeout = Duration.ZERO;
        }
        try {
            ConsumerRecords<String, GenerationRequest> polled = consumer.poll(timeout);
            if (!polled.isEmpty()) {
                unreadable.readSome(System.currentTimeMillis());
            }
            for (ConsumerRecord<String, GenerationRequest> r : polled) {
                accept(r);
            }
        } catch (WakeupException e) {
            // A call finished: back to the loop to decide it and start the next one.
        } catch (RecordDeserializationException e) {
            if (unreadable.retryable(e, System.currentTimeMillis())) {
                // The registry is away, not the record bad: read it again, from here, after a pause.
                consumer.seek(e.topicPartition(), e.offset());
                return;
            }
            consumer.seek(e.topicPartition(), e.offset() + 1);
            // Its bytes go to the raw dead-letter topic with its offset committed, so the tier's lag can reach zero.
            GenerationJob job = new GenerationJob(new ConsumerRecord<>(e.topicPartition().topic(),
                    e.topicPartition().partition(), e.offset(), null, null));
            job.outcome = new GenerationJob.Unreadable(unreadable.undecodable(e));
            ledger.add(job);
        }
    }

    private void accept(ConsumerRecord<String, GenerationRequest> record) {
        GenerationJob job = new GenerationJob(record);
        ledger.add(job);
        if (record.value() == null) {
            job.outcome = new GenerationJob.Skipped();
            return;
        }
        if (cacheable) {
            String key = CacheKey.of(job.request(), generator);
            GenerationCacheEntry hit = cache.get(key);
            metrics.cache(hit != null);
            if (hit != null) {
                List<GeneratedPair> pairs = hit.getPairs().stream()
                        .map(p -> new GeneratedPair(p.getQuestion(), p.getAnswer(), p.getQuestionType())).toList();
                job.outcome = new Produced(pairs, hit.getBackend(), hit.getModel(), hit.getPromptVersion(), key, null, true, List.of());
                return;
            }
        }
        calls.add(job);
    }

    /** Jobs whose retry time came join the ready ones; calls start while slots and the breaker allow. */
    private void startCalls() {
        long now = System.currentTimeMillis();
        while (!delayed.isEmpty() && delayed.peek().readyAtMs <= now) {
            calls.add(delayed.poll());
        }
        calls.start();
    }

    private void drainCompletions() {
        ModelCalls.Completion c;
        while ((c = calls.nextCompletion()) != null) {
            decide(c);
        }
    }

    private void decide(ModelCalls.Completion c) {
        GenerationJob job = c.job();
        String model = generator.model();
        if (c.generation() != null) {
            Generation g = c.generation();
            answered();
            metrics.call(model, g.pairs().isEmpty() ? "empty" : "ok", c.latency(), g.tokensIn(), g.tokensOut());
            String key = cacheable ? CacheKey.of(job.request(), generator) : null;
            GenerationCacheEntry entry = key == null || g.pairs().isEmpty() ? null : cacheEntry(job, g, c.latency());
            // Asked before remember(), which drops them from the view: the keys the writer tombstones on the topic.
            List<String> evicted = entry == null ? List.of() : cache.evictedBy(key, entry);
            if (entry != null) {
                // Paid for: this process never asks a model for it again, whether or not this result is committed.
                cache.remember(key, entry);
                if (job.dropped) {
                    flusher.keepCacheEntry(key, entry); // its partition went away: the entry is still written
                }
            }
            if (!job.dropped) {
                job.outcome = new Produced(g.pairs(), generator.backend(), model,
                        CacheKey.promptVersion(job.request(), generator), key, entry, false, evicted);
            }
            return;
        }
        if (c.failure() instanceof GenerationException e) {
            switch (e.kind()) {
                case TRANSIENT -> {
                    // The server is down, busy or slow: retry for as long as it takes (the breaker pauses the
                    // tier meanwhile); a request is never dead-lettered because its server was unavailable.
                    // Only a chunk that keeps failing while the server answers others goes on (next tier, or DLQ).
                    transientFailure();
                    metrics.call(model, "transient", c.latency(), 0, 0);
                    if (job.transientFailures++ == 0) {
                        job.firstTransientNanos = System.nanoTime();
                    }
                    if (job.transientFailures >= maxTransientPerChunk && lastAnswerNanos - job.firstTransientNanos > 0) {
                        // Not an outage: the server answered other chunks meanwhile, never this one (e.g. a 500 on
                        // this prompt alone). Retrying for ever would hold every later request of its partition.
                        escalateOrDeadLetter(job, "failed " + job.transientFailures + " times in a row while the server "
                                + "answered other requests; last: " + e.getMessage());
                    } else {
                        retryLater(job, e.getMessage(), "transient", job.transientFailures);
                    }
                }
                case UNPARSEABLE -> {
                    answered();
                    metrics.call(model, "unparseable", c.latency(), 0, 0);
                    job.rawOutput = e.rawOutput();
                    job.transientFailures = 0;
                    if (++job.countedFailures <= retries) {
                        retryLater(job, e.getMessage(), "unparseable", job.countedFailures);
                    } else {
                        escalateOrDeadLetter(job, e.getMessage());
                    }
                }
                case PERMANENT -> {
                    answered();
                    metrics.call(model, "permanent", c.latency(), 0, 0);
                    job.rawOutput = e.rawOutput();
                    if (!job.dropped) {
                        job.outcome = new DeadLettered(e.getMessage(), job.rawOutput);
                    }
                }
            }
            return;
        }
        // A generator that throws anything else: handled as transient, but only up to the tier's retries.
        transientFailure();
        metrics.call(model, "error", c.latency(), 0, 0);
        String reason = String.valueOf(c.failure());
        if (++job.countedFailures <= retries) {
            retryLater(job, reason, "error", job.countedFailures);
        } else if (!job.dropped) {
            job.outcome = new DeadLettered(reason, null);
        }
    }

    private void answered() {
        lastAnswerNanos = System.nanoTime();
        if (server != null) {
            server.breaker().onAnswer();
        }
    }

    private void transientFailure() {
        if (server != null) {
            server.breaker().onTransientFailure();
        }
    }

    private void retryLater(GenerationJob job, String failure, String kind, int attempt) {
        job.lastFailure = failure;
        if (job.dropped) {
            return;
        }
        metrics.retry(kind);
        long delay = backoff.delayMs(attempt);
        job.readyAtMs = System.currentTimeMillis() + delay;
        delayed.add(job);
        log.info("{} worker: chunk {} attempt {} failed ({}): {}; retrying in {} ms", tier, job.chunkId(),
                job.attempts, kind, failure, delay);
    }

    private void escalateOrDeadLetter(GenerationJob job, String failure) {
        if (job.dropped) {
            return;
        }
        int next = Topics.TIERS.indexOf(tier) + 1;
        if (next > 0 && next < Topics.TIERS.size()) {
            job.outcome = new Escalated(Topics.TIERS.get(next), failure);
        } else {
            job.outcome = new DeadLettered(failure, job.rawOutput);
        }
    }

    private GenerationCacheEntry cacheEntry(GenerationJob job, Generation g, Duration latency) {
        List<CachedPair> pairs = g.pairs().stream().map(p -> CachedPair.newBuilder().setQuestion(p.question())
                .setAnswer(p.answer()).setQuestionType(p.questionType()).build()).toList();
        boolean firstPass = CacheKey.isFirstPass(job.request());
        return GenerationCacheEntry.newBuilder().setModel(generator.model()).setBackend(generator.backend())
                .setPromptVersion(CacheKey.promptVersion(job.request(), generator))
                .setParameters(firstPass ? generator.parameters() : generator.focusParameters())
                .setChunkChecksum(job.chunk().getChecksum()).setPairs(pairs).setTokensIn(g.tokensIn())
                .setTokensOut(g.tokensOut()).setLatencyMs(latency.toMillis()).setCreatedAtMs(System.currentTimeMillis())
                .build();
    }

    /**
     * Pauses every assigned partition while the tier has a call's worth of work waiting per slot it may use
     * (lent ones included), holds too
     * many undecided results, its server's breaker is open, or the registry was just found away; resumes
     * otherwise. Polling goes on either way.
     */
    private void holdOrResume() {
        delayed.removeIf(j -> j.dropped);
        boolean breakerOpen = server != null && server.breaker().blocking();
        boolean hold = breakerOpen || unreadable.pausing(System.currentTimeMillis())
                || calls.waiting() + delayed.size() >= reach || ledger.size() >= maxHeld;
        if (hold) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    /**
     * Writes the decided prefix of each partition (all, or only {@code only}) with its offsets in one
     * transaction ({@link Flush}). On an abortable error the results stay held and go out with the next flush;
     * a fatal one (fenced) ends the worker, which the service restarts.
     */
    private boolean flush(Collection<TopicPartition> only) {
        lastFlushMs = System.currentTimeMillis();
        List<GenerationJob> decided = ledger.decidedPrefix(only);
        if (!flusher.write(decided, consumer.groupMetadata(), lastFlushMs)) {
            lastWriteFailed = true;
            return false;
        }
        lastWriteFailed = false;
        ledger.committed(decided);
        return true;
    }

    /** Jobs whose results will not be written with their offsets: the cache entries of their model work still are. */
    private void keepCacheEntries(List<GenerationJob> jobs) {
        for (GenerationJob job : jobs) {
            if (job.outcome instanceof Produced p && p.newEntry() != null) {
                flusher.keepCacheEntry(p.cacheKey(), p.newEntry());
            }
        }
    }

    /**
     * Revoked partitions: commit what is decided, write the cache entries of results held behind an undecided
     * request (in a transaction of their own, without offsets: the next owner gets them from the cache), drop
     * the rest. Lost partitions cannot commit: their cache entries go with the next write.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            if (running) {
                metrics.rebalance(); // not the revocation of closing
            }
            drainCompletions();
            flush(partitions);
            keepCacheEntries(ledger.entriesOf(partitions));
            flusher.write(List.of(), consumer.groupMetadata(), System.currentTimeMillis());
            ledger.drop(partitions);
            assigned = Set.copyOf(consumer.assignment().stream().filter(tp -> !partitions.contains(tp)).toList());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            metrics.rebalance();
            keepCacheEntries(ledger.entriesOf(partitions));
            ledger.drop(partitions);
            assigned = Set.of();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = Set.copyOf(consumer.assignment());
            if (!partitions.isEmpty()) {
                log.info("{} worker assigned {}", tier, partitions);
            }
        }
    }

    private void closeQuietly() {
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.debug("{} worker: consumer close failed", tier, e);
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.debug("{} worker: producer close failed", tier, e);
        }
        if (ownsCache) {
            cache.close();
        }
        if (ownsRevisions) {
            revisions.close();
        }
        try {
            calls.awaitTermination(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
