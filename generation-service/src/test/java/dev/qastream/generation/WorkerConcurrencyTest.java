package dev.qastream.generation;

import dev.qastream.generation.worker.CacheView;
import dev.qastream.generation.worker.EmptyChunks;
import dev.qastream.generation.worker.ModelServers;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.schemas.QaPair;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.qastream.generation.WorkerHarness.awaitDrained;
import static dev.qastream.generation.WorkerHarness.awaitTrue;
import static dev.qastream.generation.WorkerHarness.chunk;
import static dev.qastream.generation.WorkerHarness.newestRevisionWins;
import static dev.qastream.generation.WorkerHarness.pairs;
import static dev.qastream.generation.WorkerHarness.request;
import static dev.qastream.generation.WorkerHarness.run;
import static dev.qastream.generation.WorkerHarness.send;
import static org.assertj.core.api.Assertions.assertThat;

/** Slow models, K calls in flight, instances sharing a tier, and tiers finishing out of order. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WorkerConcurrencyTest extends WorkerPlatformTest {
    @Test
    void callsSlowerThanTheTransactionTimeoutAndPollIntervalAreMadeOnceAndWrittenOnce() throws Exception {
        // Given a model that takes 8 s per call, a 5 s transaction timeout and a 6 s max poll interval
        ServiceContext ctx = h.ctx(Map.of("generation.transaction-timeout-ms", "5000",
                "generation.max-poll-interval-ms", "6000", "tiers.fast.max-concurrency", "2"));
        h.clearRequests(ctx);
        ScriptedGenerator generator = ScriptedGenerator.answering("slow", 8_000, 2);
        for (int i = 0; i < 4; i++) {
            send(ctx, request("fast", chunk("slow.md#" + i, "slow-" + i), i));
        }

        // When the worker works through them, two at a time
        try (var w = run(ctx, "fast", generator, "slow-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(90), Map.of("fast", "slow-fast"));
        }

        // Then no call was made twice, no partition was revoked, and each chunk's pairs are there exactly once
        for (int i = 0; i < 4; i++) {
            assertThat(generator.callsFor("slow.md#" + i)).as("calls for chunk " + i).isEqualTo(1);
        }
        assertThat(h.counter(ctx, "qastream.generation.rebalances", "tier", "fast")).isZero();
        assertExactlyOnce(pairs(ctx, "slow.md#"), 8);
    }

    @Test
    void keepsKCallsInFlightWithoutABatchBarrier() throws Exception {
        // Given K = 4, no call queued ahead at the server, and twelve requests of 2 s each
        ServiceContext ctx = h.ctx(Map.of("tiers.fast.max-concurrency", "4", "generation.queue-ahead", "0"));
        h.clearRequests(ctx);
        List<long[]> spans = java.util.Collections.synchronizedList(new ArrayList<>());
        ScriptedGenerator generator = new ScriptedGenerator("m", (chunk, attempt) -> {
            long start = System.nanoTime();
            Thread.sleep(2_000);
            spans.add(new long[] {start, System.nanoTime()});
            return ScriptedGenerator.pairs(chunk, 1);
        });
        for (int i = 0; i < 12; i++) {
            send(ctx, request("fast", chunk("k.md#" + i, "k-" + i), i));
        }

        try (var w = run(ctx, "fast", generator, "k-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(90), Map.of("fast", "k-fast"));
        }

        // Then never more than 4 at once, and at least 4 while work remained: 12 calls of 2 s in 3 rounds
        // (under 7.5 s from first start to last end; 3 at a time would need 8 s)
        assertThat(generator.maxInFlight.get()).isEqualTo(4);
        assertThat(spans).hasSize(12);
        long first = spans.stream().mapToLong(s -> s[0]).min().orElseThrow();
        long last = spans.stream().mapToLong(s -> s[1]).max().orElseThrow();
        assertThat(Duration.ofNanos(last - first)).isLessThan(Duration.ofMillis(7_500));
        assertExactlyOnce(pairs(ctx, "k.md#"), 12);
    }

    @Test
    void callsQueuedAheadAtTheServerComeOnTopOfTheTiersConcurrency() throws Exception {
        // Given K = 2 with one call queued ahead at the server (which here runs every call it gets at once)
        ServiceContext ctx = h.ctx(Map.of("tiers.fast.max-concurrency", "2", "generation.server-slots", "2",
                "generation.queue-ahead", "1"));
        h.clearRequests(ctx);
        ScriptedGenerator generator = new ScriptedGenerator("m", (chunk, attempt) -> {
            Thread.sleep(600);
            return ScriptedGenerator.pairs(chunk, 1);
        });
        for (int i = 0; i < 6; i++) {
            send(ctx, request("fast", chunk("ahead.md#" + i, "ahead-" + i), i));
        }

        try (var w = run(ctx, "fast", generator, "ahead-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "ahead-fast"));
        }

        // Then the server had three requests at once, never more, and each chunk's pair is there once
        assertThat(generator.maxInFlight.get()).isEqualTo(3);
        assertExactlyOnce(pairs(ctx, "ahead.md#"), 6);
    }

    @Test
    void twoInstancesOfATierShareItsPartitionsAndProcessNothingTwice() throws Exception {
        // Given two instances of the fast tier in one group, both holding partitions
        ServiceContext ctx = h.ctx(Map.of("tiers.fast.max-concurrency", "2"));
        h.clearRequests(ctx);
        Map<String, String> handledBy = new ConcurrentHashMap<>();
        ScriptedGenerator one = new ScriptedGenerator("m", (chunk, attempt) -> {
            handledBy.merge(chunk.getChunkId(), "one", (a, b) -> a + "," + b);
            Thread.sleep(300);
            return ScriptedGenerator.pairs(chunk, 1);
        });
        ScriptedGenerator two = new ScriptedGenerator("m", (chunk, attempt) -> {
            handledBy.merge(chunk.getChunkId(), "two", (a, b) -> a + "," + b);
            Thread.sleep(300);
            return ScriptedGenerator.pairs(chunk, 1);
        });
        try (var a = run(ctx, "fast", one, "share-fast"); var b = run(ctx, "fast", two, "share-fast")) {
            awaitTrue(Duration.ofSeconds(60), "both instances assigned",
                    () -> !a.assigned().isEmpty() && !b.assigned().isEmpty()
                            && a.assigned().size() + b.assigned().size() == ctx.kafka().partitions());

            // When 18 requests arrive, spread over the partitions by key
            for (int i = 0; i < 18; i++) {
                send(ctx, request("fast", chunk("share.md#" + i, "share-" + i), i));
            }
            awaitDrained(ctx, Duration.ofSeconds(90), Map.of("fast", "share-fast"));
        }

        // Then both instances got work, each chunk was generated by exactly one call, and written once
        assertThat(handledBy).hasSize(18).allSatisfy((chunk, by) -> assertThat(by).isIn("one", "two"));
        assertThat(handledBy.values()).contains("one", "two");
        assertExactlyOnce(pairs(ctx, "share.md#"), 18);
    }

    @Test
    void anOlderRevisionFinishingLateOnASlowTierWritesNothingOverTheNewerOneFromAFastTier() throws Exception {
        // Given a chunk edited across the complexity threshold: its first revision went to quality (slow), the
        // edit to fast; each revision is the offset of its chunk record on ingest.chunks, as the router stamps it
        ServiceContext ctx = h.ctx(Map.of("generation.max-pairs-per-chunk", "4"));
        h.clearRequests(ctx);
        long[] revisions = WorkerHarness.sendChunks(ctx, chunk("race.md#0", "race-old"), chunk("race.md#0", "race-new"));
        ScriptedGenerator quality = ScriptedGenerator.answering("large", 3_000, 3);
        ScriptedGenerator fast = ScriptedGenerator.answering("small", 0, 2);
        send(ctx, request("quality", chunk("race.md#0", "race-old"), revisions[0]),
                request("fast", chunk("race.md#0", "race-new"), revisions[1]));

        // When both tiers run and the slow tier finishes last
        try (var q = run(ctx, "quality", quality, "race-quality"); var f = run(ctx, "fast", fast, "race-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "race-fast", "quality", "race-quality"));
        }

        // Then the older revision wrote nothing (it was generated, but is stale): what compaction keeps for every
        // slot, the last record by offset, is the newer revision's: two pairs of the fast model, two removals
        assertThat(quality.callsFor("race.md#0")).isEqualTo(1);
        List<ConsumerRecord<String, QaPair>> records = pairs(ctx, "race.md#0#");
        assertThat(records).allSatisfy(r -> assertThat(r.value().getRevision()).isEqualTo(revisions[1]));
        Map<String, QaPair> kept = WorkerHarness.lastByOffset(records);
        assertThat(kept).containsOnlyKeys("race.md#0#0", "race.md#0#1", "race.md#0#2", "race.md#0#3");
        assertThat(kept.values()).filteredOn(p -> !p.getRemoved()).hasSize(2)
                .allSatisfy(p -> assertThat(p.getModel()).isEqualTo("small"));
        assertThat(newestRevisionWins(records).keySet()).containsExactlyInAnyOrder("race.md#0#0", "race.md#0#1");
        assertThat(h.counter(ctx, "qastream.generation.stale", "tier", "quality")).isEqualTo(1.0);
    }

    @Test
    void aWorkerThatDiesTakesNoMoreRequestsOnItsCallThreadsAndGivesItsServerSlotsBack() throws Exception {
        // Given one call at a time on a server shared with the rest of the process, and a model whose first two
        // calls hold on (ignoring interrupts, as a blocking HTTP client may) until the test lets them answer
        ServiceContext ctx = h.ctx(Map.of("tiers.fast.max-concurrency", "1", "generation.server-slots", "1",
                "generation.queue-ahead", "0"));
        h.clearRequests(ctx);
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch firstMayAnswer = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        CountDownLatch secondMayAnswer = new CountDownLatch(1);
        ScriptedGenerator generator = new ScriptedGenerator("m", (chunk, attempt) -> {
            switch (chunk.getChunkId()) {
                case "dies.md#0" -> {
                    firstStarted.countDown();
                    awaitUninterruptibly(firstMayAnswer);
                }
                case "dies.md#1" -> {
                    secondStarted.countDown();
                    awaitUninterruptibly(secondMayAnswer);
                }
                default -> {
                }
            }
            return ScriptedGenerator.pairs(chunk, 1);
        });
        WorkerHarness.sendTo(ctx, 0, request("fast", chunk("dies.md#0", "dies-0"), 0),
                request("fast", chunk("dies.md#1", "dies-1"), 1), request("fast", chunk("dies.md#2", "dies-2"), 2));
        ModelServers servers = new ModelServers(ctx.config(), ctx.meters());
        Semaphore slots = servers.forTier(ctx.config(), "fast", generator.backend()).slots();
        CacheView cache = new CacheView(ctx.kafka(), ctx.topics().cache);
        GenerationWorker worker = new GenerationWorker(ctx, "fast", generator, "dies-fast", cache, servers, new EmptyChunks());
        Thread loop = new Thread(worker::run, "dying-worker");
        try {
            loop.start();
            assertThat(firstStarted.await(60, TimeUnit.SECONDS)).as("first call started").isTrue();

            // When another producer takes over its transactional id (as a zombie is fenced), and the first call
            // answers: its call thread goes on with the second request while the worker dies writing the first
            fenceTransactionalProducerOf(ctx, "dies-fast");
            firstMayAnswer.countDown();
            assertThat(secondStarted.await(30, TimeUnit.SECONDS)).as("second call started").isTrue();
            awaitTrue(Duration.ofSeconds(30), "worker died", () -> !worker.working());
            secondMayAnswer.countDown();
            loop.join(30_000);
            Thread.sleep(1_000);

            // Then the dead worker's call thread took no third request, and every server slot is free again
            assertThat(generator.callsFor("dies.md#2")).isZero();
            awaitTrue(Duration.ofSeconds(5), "server slots free", () -> slots.availablePermits() == 1);
        } finally {
            firstMayAnswer.countDown();
            secondMayAnswer.countDown();
            worker.stop();
            loop.join(30_000);
            cache.close();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException ignored) {
                // a blocking model call that does not notice the interrupt
            }
        }
    }

    /** Starts a producer with the worker's transactional id: the worker's next transaction is fenced. */
    private static void fenceTransactionalProducerOf(ServiceContext ctx, String group) throws Exception {
        String id;
        try (Admin admin = Admin.create(ctx.kafka().admin())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<String> ids;
            do {
                ids = admin.listTransactions().all().get().stream().map(TransactionListing::transactionalId)
                        .filter(t -> t.startsWith(group + "-")).toList();
                if (ids.isEmpty()) {
                    Thread.sleep(100);
                }
            } while (ids.isEmpty() && System.nanoTime() < deadline);
            assertThat(ids).as("the worker's transactional id").hasSize(1);
            id = ids.getFirst();
        }
        try (KafkaProducer<String, String> fencer = new KafkaProducer<>(ctx.kafka().transactionalProducer(id),
                new StringSerializer(), new StringSerializer())) {
            fencer.initTransactions();
        }
    }

    /** Every pair key written exactly once as a pair (removals aside), and {@code expectedPairs} of them. */
    private static void assertExactlyOnce(List<ConsumerRecord<String, QaPair>> records, int expectedPairs) {
        Map<String, Long> writes = records.stream().filter(r -> !r.value().getRemoved())
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(writes).hasSize(expectedPairs);
        assertThat(writes.values()).allSatisfy(n -> assertThat(n).isEqualTo(1L));
    }
}
