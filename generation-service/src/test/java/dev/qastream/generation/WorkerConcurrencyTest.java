package dev.qastream.generation;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.schemas.QaPair;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
        // Given K = 4 and twelve requests of 2 s each
        ServiceContext ctx = h.ctx(Map.of("tiers.fast.max-concurrency", "4"));
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
    void anOlderRevisionFinishingLateOnASlowTierIsOutrankedByTheNewerOneFromAFastTier() throws Exception {
        // Given a chunk edited across the complexity threshold: revision 100 went to quality (slow), 101 to fast
        ServiceContext ctx = h.ctx(Map.of("generation.max-pairs-per-chunk", "4"));
        h.clearRequests(ctx);
        ScriptedGenerator quality = ScriptedGenerator.answering("large", 3_000, 3);
        ScriptedGenerator fast = ScriptedGenerator.answering("small", 0, 2);
        send(ctx, request("quality", chunk("race.md#0", "race-old"), 100), request("fast", chunk("race.md#0", "race-new"), 101));

        // When both tiers run and the slow tier finishes last
        try (var q = run(ctx, "quality", quality, "race-quality"); var f = run(ctx, "fast", fast, "race-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "race-fast", "quality", "race-quality"));
        }

        // Then every record carries its request's revision, and the old revision's records were written after the new
        List<ConsumerRecord<String, QaPair>> records = pairs(ctx, "race.md#0#");
        assertThat(records).hasSize(8);
        assertThat(records).allSatisfy(r -> assertThat(r.value().getRevision()).isIn(100L, 101L));
        assertThat(records).filteredOn(r -> r.value().getRevision() == 101L).allSatisfy(r ->
                assertThat(r.value().getChunkChecksum()).isIn("race-new", ""));
        assertThat(records).filteredOn(r -> r.value().getRevision() == 100L).allSatisfy(r ->
                assertThat(r.value().getChunkChecksum()).isIn("race-old", ""));
        long newestNewWrite = records.stream().filter(r -> r.value().getRevision() == 101L).mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
        long oldestOldWrite = records.stream().filter(r -> r.value().getRevision() == 100L).mapToLong(ConsumerRecord::timestamp).min().orElseThrow();
        assertThat(oldestOldWrite).isGreaterThan(newestNewWrite);
        // and with "the newest revision wins per key", only the newer revision's two pairs remain
        Map<String, QaPair> end = newestRevisionWins(records);
        assertThat(end.keySet()).containsExactlyInAnyOrder("race.md#0#0", "race.md#0#1");
        assertThat(end.values()).allSatisfy(p -> {
            assertThat(p.getRevision()).isEqualTo(101L);
            assertThat(p.getModel()).isEqualTo("small");
        });
    }

    /** Every pair key written exactly once as a pair (removals aside), and {@code expectedPairs} of them. */
    private static void assertExactlyOnce(List<ConsumerRecord<String, QaPair>> records, int expectedPairs) {
        Map<String, Long> writes = records.stream().filter(r -> !r.value().getRemoved())
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(writes).hasSize(expectedPairs);
        assertThat(writes.values()).allSatisfy(n -> assertThat(n).isEqualTo(1L));
    }
}
