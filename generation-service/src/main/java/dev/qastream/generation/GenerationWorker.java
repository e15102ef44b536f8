package dev.qastream.generation;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.kafka.TopicValueSerializer;
import dev.qastream.schemas.DeadLetter;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.QaPair;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One tier's worker: consumes generation requests, calls the tier's generator with up to
 * {@code max-concurrency} requests in flight, and writes the pairs (or a dead letter) together
 * with the consumed offsets in one transaction. A crash re-delivers an uncommitted batch and
 * never leaves pairs whose request counts as unprocessed, or the reverse.
 */
final class GenerationWorker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(GenerationWorker.class);

    private final String tier;
    private final PairGenerator generator;
    private final Topics topics;
    private final int maxPairs;
    private final int retries;
    private final long backoffMs;
    private final KafkaConsumer<String, GenerationRequest> consumer;
    private final KafkaProducer<String, Object> producer;
    private final ExecutorService pool;
    private final Counter pairsCounter;
    private final Counter deadLetterCounter;
    private final Timer latency;
    private volatile boolean running = true;

    GenerationWorker(ServiceContext ctx, String tier, PairGenerator generator, String groupId, String transactionalId) {
        this.tier = tier;
        this.generator = generator;
        this.topics = ctx.topics();
        this.maxPairs = ctx.config().integer("generation.max-pairs-per-chunk");
        this.retries = ctx.config().integer("tiers." + tier + ".retries");
        this.backoffMs = ctx.config().longValue("generation.retry-backoff-ms");
        int concurrency = Math.max(1, ctx.config().integer("tiers." + tier + ".max-concurrency"));
        Map<String, Object> consumerProps = ctx.kafka().consumer(groupId);
        consumerProps.put("max.poll.records", Math.max(concurrency * 4, 16));
        this.consumer = new KafkaConsumer<>(consumerProps, topics.request(tier).keySerde().deserializer(),
                topics.request(tier).valueSerde().deserializer());
        // One producer writes pairs and dead letters; the value serializer is chosen per topic below.
        this.producer = new KafkaProducer<>(ctx.kafka().transactionalProducer(transactionalId),
                topics.pairs.keySerde().serializer(), TopicValueSerializer.of(topics.pairs, topics.deadLetters));
        this.pool = Executors.newFixedThreadPool(concurrency, r -> new Thread(r, "generate-" + tier));
        this.pairsCounter = Counter.builder("qastream.generation.pairs").tag("tier", tier).register(ctx.meters());
        this.deadLetterCounter = Counter.builder("qastream.generation.dead.letters").tag("tier", tier).register(ctx.meters());
        this.latency = Timer.builder("qastream.generation.latency").tag("tier", tier).register(ctx.meters());
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(topics.request(tier).name()));
            while (running) {
                ConsumerRecords<String, GenerationRequest> records = consumer.poll(Duration.ofMillis(300));
                if (!records.isEmpty()) {
                    processBatch(records);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (ProducerFencedException e) {
            log.error("{} worker: another instance took over this transactional id; stopping", tier);
        } catch (RuntimeException e) {
            log.error("{} worker failed", tier, e);
        } finally {
            pool.shutdownNow();
            consumer.close(Duration.ofSeconds(5));
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void processBatch(ConsumerRecords<String, GenerationRequest> records) {
        List<ConsumerRecord<String, GenerationRequest>> list = new ArrayList<>();
        records.forEach(list::add);
        List<Future<Outcome>> outcomes = new ArrayList<>();
        for (ConsumerRecord<String, GenerationRequest> r : list) {
            outcomes.add(pool.submit(() -> generateWithRetries(r.value())));
        }
        try {
            producer.beginTransaction();
            for (int i = 0; i < list.size(); i++) {
                send(list.get(i), outcomes.get(i).get());
            }
            producer.sendOffsetsToTransaction(nextOffsets(list), consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException | ExecutionException e) {
            log.warn("{} worker: transaction aborted, the batch will be retried: {}", tier, e.getMessage());
            producer.abortTransaction();
            rewind(list);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            producer.abortTransaction();
            running = false;
        }
    }

    private void send(ConsumerRecord<String, GenerationRequest> record, Outcome outcome) {
        if (outcome.pairs != null) {
            for (QaPair p : outcome.pairs) {
                producer.send(new ProducerRecord<>(topics.pairs.name(), p.getPairKey(), p));
            }
            // Slots this chunk no longer fills are removed, so a shorter re-generation leaves no stale pairs.
            for (int slot = outcome.pairs.size(); slot < maxPairs; slot++) {
                producer.send(new ProducerRecord<>(topics.pairs.name(), record.key() + "#" + slot, null));
            }
            pairsCounter.increment(outcome.pairs.size());
        } else {
            DeadLetter dl = DeadLetter.newBuilder().setRequest(record.value()).setReason(outcome.failure)
                    .setAttempts(outcome.attempts).setFailedAtMs(System.currentTimeMillis()).build();
            producer.send(new ProducerRecord<>(topics.deadLetters.name(), record.key(), dl));
            deadLetterCounter.increment();
            log.warn("{} worker: chunk {} sent to the dead-letter topic after {} attempts: {}",
                    tier, record.key(), outcome.attempts, outcome.failure);
        }
    }

    private Outcome generateWithRetries(GenerationRequest request) throws InterruptedException {
        String lastFailure = "";
        int attempt = 0;
        while (attempt <= retries) {
            attempt++;
            try {
                long start = System.nanoTime();
                List<QaPair> pairs = toPairs(request, generator.generate(request.getChunk(), tier).pairs());
                latency.record(Duration.ofNanos(System.nanoTime() - start));
                return new Outcome(pairs.size() > maxPairs ? pairs.subList(0, maxPairs) : pairs, null, attempt);
            } catch (GenerationException e) {
                lastFailure = e.getMessage();
                if (!e.retryable()) {
                    break;
                }
                Thread.sleep(backoffMs * attempt);
            } catch (RuntimeException e) {
                lastFailure = e.toString();
                break;
            }
        }
        return new Outcome(null, lastFailure, attempt);
    }

    private List<QaPair> toPairs(GenerationRequest request, List<GeneratedPair> generated) {
        List<QaPair> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (GeneratedPair g : generated) {
            int slot = out.size();
            out.add(QaPair.newBuilder().setPairKey(request.getChunk().getChunkId() + "#" + slot)
                    .setChunkId(request.getChunk().getChunkId()).setDocumentId(request.getChunk().getDocumentId())
                    .setSlot(slot).setQuestion(g.question()).setAnswer(g.answer()).setTier(tier)
                    .setBackend(generator.backend()).setModel(generator.model())
                    .setPromptVersion(generator.promptVersion()).setChunkChecksum(request.getChunk().getChecksum())
                    .setGeneratedAtMs(now).build());
        }
        return out;
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<ConsumerRecord<String, GenerationRequest>> list) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<String, GenerationRequest> r : list) {
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        return offsets;
    }

    /** After an abort, go back to the first record of the batch in each partition. */
    private void rewind(List<ConsumerRecord<String, GenerationRequest>> list) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, GenerationRequest> r : list) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        first.forEach(consumer::seek);
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }

    private record Outcome(List<QaPair> pairs, String failure, int attempts) {
    }
}
