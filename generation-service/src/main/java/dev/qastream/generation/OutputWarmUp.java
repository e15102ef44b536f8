package dev.qastream.generation;

import dev.qastream.generation.worker.PairRecords;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.ChunkQuality;
import dev.qastream.schemas.DeadLetter;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.GenerationCacheEntry;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.TermTiers;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Serializer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Before a worker takes partitions: fetch the metadata of every topic it writes and serialize one sample
 * of every value type (which registers or looks up its schema). The first transaction then does not stall
 * the poll loop on the registry or on metadata, and a registry that cannot be reached fails the start
 * before any partition is held.
 *
 * <p>Bounded in time: the registry client sends its requests with no timeout, and a registration that the
 * registry accepted but never answered once held a worker here for good, alive to {@code /health} and
 * taking no partition. Now the start fails after {@link #TIMEOUT}, and the service's supervisor starts the
 * worker again (whose registrations find what the first one's did register).
 */
final class OutputWarmUp {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private OutputWarmUp() {
    }

    static void run(Producer<String, Object> producer, Serializer<Object> values, Topics topics) throws InterruptedException {
        run(producer, values, topics, TIMEOUT);
    }

    /** The warm-up on a thread of its own, waited for at most {@code timeout}; its failure is rethrown. */
    static void run(Producer<String, Object> producer, Serializer<Object> values, Topics topics, Duration timeout)
            throws InterruptedException {
        FutureTask<Void> warmUp = new FutureTask<>(() -> {
            warmUp(producer, values, topics);
            return null;
        });
        Thread.ofVirtual().name("output-warm-up").start(warmUp);
        try {
            warmUp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            warmUp.cancel(true);
            throw new IllegalStateException("the schema registry or the brokers did not answer within " + timeout.toSeconds()
                    + " s while the worker looked up its output topics and schemas; it will be started again", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static void warmUp(Producer<String, Object> producer, Serializer<Object> values, Topics topics) {
        List<String> outputs = List.of(topics.pairs.name(), topics.deadLetters.name(), topics.cache.name(),
                Topics.requestTopic("fast"), Topics.requestTopic("balanced"), Topics.requestTopic("quality"));
        outputs.forEach(producer::partitionsFor);
        Chunk chunk = Chunk.newBuilder().setChunkId("warm-up#0").setDocumentId("warm-up").setOrdinal(0).setText("")
                .setChecksum("").setTokenEstimate(0).setComplexity(0).setDocument(DocumentInfo.newBuilder().build())
                .setTerms(TermTiers.newBuilder().build()).setQuality(ChunkQuality.newBuilder().build()).build();
        GenerationRequest request = GenerationRequest.newBuilder().setTier("fast").setChunk(chunk).setRoutedAtMs(0).build();
        values.serialize(topics.pairs.name(), PairRecords.removal("warm-up#0", "warm-up", 0, 0, "fast", 0));
        values.serialize(Topics.requestTopic("fast"), request);
        values.serialize(topics.deadLetters.name(), DeadLetter.newBuilder().setRequest(request).setReason("")
                .setAttempts(0).setFailedAtMs(0).build());
        values.serialize(topics.cache.name(), GenerationCacheEntry.newBuilder().setModel("").setBackend("")
                .setPromptVersion("").setParameters("").setChunkChecksum("").setPairs(List.of()).setCreatedAtMs(0).build());
    }
}
