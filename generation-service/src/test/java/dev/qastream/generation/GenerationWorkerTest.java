package dev.qastream.generation;

import dev.qastream.llm.GenerationException;
import dev.qastream.llm.Generation;
import dev.qastream.llm.GeneratedPair;

import dev.qastream.llm.GenerationException.Kind;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.schemas.DeadLetter;
import dev.qastream.schemas.QaPair;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.qastream.generation.WorkerHarness.awaitDrained;
import static dev.qastream.generation.WorkerHarness.chunk;
import static dev.qastream.generation.WorkerHarness.deadLetters;
import static dev.qastream.generation.WorkerHarness.pairs;
import static dev.qastream.generation.WorkerHarness.request;
import static dev.qastream.generation.WorkerHarness.run;
import static dev.qastream.generation.WorkerHarness.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A tier worker on a real broker: retries what may pass, escalates what does not parse, dead-letters the rest. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GenerationWorkerTest extends WorkerPlatformTest {
    @Test
    void retriesTransientFailuresAndDeadLettersPermanentOnesWithoutLosingOrRepeating() throws Exception {
        // Given a tier whose generator fails twice for one chunk before it works, and always for another
        ServiceContext ctx = h.ctx(Map.of("generation.max-pairs-per-chunk", "3", "tiers.fast.retries", "3"));
        h.clearRequests(ctx);
        ScriptedGenerator generator = new ScriptedGenerator("m", (chunk, attempt) -> {
            if (chunk.getChunkId().startsWith("broken")) {
                throw new GenerationException("model answered with no JSON", false);
            }
            if (attempt < 3) {
                throw new GenerationException("timed out", true);
            }
            return Generation.of(List.of(new GeneratedPair("What is it?", "It is a test.", "factual")));
        });
        send(ctx, request("fast", chunk("flaky.md#0", "flaky"), 7), request("fast", chunk("broken.md#0", "broken"), 8));

        // When the worker runs until both requests are handled
        try (var w = run(ctx, "fast", generator, "retry-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "retry-fast"));
        }

        // Then the flaky chunk's pair is there once, after three attempts, with its revision, and its unused slots removed
        List<ConsumerRecord<String, QaPair>> pairs = pairs(ctx, "flaky.md#0");
        assertThat(pairs).filteredOn(r -> !r.value().getRemoved()).extracting(ConsumerRecord::key)
                .containsExactly("flaky.md#0#0");
        assertThat(pairs).filteredOn(r -> r.value().getRemoved()).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("flaky.md#0#1", "flaky.md#0#2");
        assertThat(pairs).allSatisfy(r -> assertThat(r.value().getRevision()).isEqualTo(7L));
        assertThat(pairs.get(0).value().getQuestionType()).isEqualTo("factual");
        assertThat(generator.callsFor("flaky.md#0")).isEqualTo(3);
        // and the broken one is dead-lettered once, with the reason, after one attempt (not retryable), removing
        // nothing: whatever an older revision left in its slots stays until a generation succeeds
        List<DeadLetter> dead = deadLetters(ctx, "broken.md#0");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).getReason()).isEqualTo("model answered with no JSON");
        assertThat(dead.get(0).getAttempts()).isEqualTo(1);
        assertThat(dead.get(0).getRemovedPairs()).isZero();
        assertThat(dead.get(0).getTiersTried()).containsExactly("fast");
        assertThat(pairs(ctx, "broken.md#0")).isEmpty();
        // and the counters moved once committed: one pair, one dead letter, and the dead-lettered chunk named as empty
        assertThat(h.counter(ctx, "qastream.generation.pairs", "tier", "fast")).isEqualTo(1.0);
        assertThat(h.counter(ctx, "qastream.generation.dead.letters", "tier", "fast")).isEqualTo(1.0);
        assertThat(h.counter(ctx, "qastream.generation.empty", "tier", "fast", "reason", "dead-lettered")).isEqualTo(1.0);
    }

    @Test
    void aFollowUpFillsItsOwnSlotRangeUnderItsOwnCacheKeyAndEscalatesWithItsFocus() throws Exception {
        // Given 3 first-pass slots and 2 follow-up slots per round; a model answering 2 pairs to a first pass and 1 to a
        // follow-up, and prose for "stuck" chunks
        ServiceContext ctx = h.ctx(Map.of("generation.max-pairs-per-chunk", "3", "generation.follow-up-max-pairs", "2",
                "tiers.fast.retries", "0"));
        h.clearRequests(ctx);
        java.util.Set<String> followUps = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ScriptedGenerator model = new ScriptedGenerator("m", (chunk, attempt) -> {
            if (chunk.getChunkId().startsWith("stuck")) {
                throw new GenerationException("no JSON array in the answer", Kind.UNPARSEABLE, "prose", null);
            }
            return ScriptedGenerator.pairs(chunk, followUps.contains(chunk.getChunkId()) ? 1 : 2);
        });
        var chunk = chunk("cover.md#0", "cover-text");
        var first = request("fast", chunk, 4);
        send(ctx, first);
        try (var w = run(ctx, "fast", model, "cover-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "cover-fast"));
            List<ConsumerRecord<String, QaPair>> firstPass = pairs(ctx, "cover.md#0#");

            // When a follow-up of round 1 names two uncovered facts of the same chunk revision, and one of a stuck chunk
            followUps.add("cover.md#0");
            var followUp = WorkerHarness.followUp("fast", chunk, 4, 1, "X.b", "X.a");
            send(ctx, followUp, WorkerHarness.followUp("fast", chunk("stuck.md#0", "stuck-text"), 9, 2, "Y.c"));
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "cover-fast"));

            // Then the first pass filled slots 0-1 and removed 2; the follow-up filled slot 100 and removed 101, its
            // records naming round 1 and the one slot its result holds, and it removed none of the first pass's slots
            assertThat(firstPass).extracting(r -> r.key() + (r.value().getRemoved() ? "-" : "+"))
                    .containsExactlyInAnyOrder("cover.md#0#0+", "cover.md#0#1+", "cover.md#0#2-");
            assertThat(firstPass).allSatisfy(r -> {
                assertThat(r.value().getRound()).isZero();
                assertThat(r.value().getSlotsInRound()).isEqualTo(2);
            });
            java.util.Set<String> seen = new java.util.HashSet<>(firstPass.stream().map(r -> r.partition() + "@" + r.offset()).toList());
            List<ConsumerRecord<String, QaPair>> later = pairs(ctx, "cover.md#0#").stream()
                    .filter(r -> !seen.contains(r.partition() + "@" + r.offset())).toList();
            assertThat(later).extracting(r -> r.key() + (r.value().getRemoved() ? "-" : "+"))
                    .containsExactlyInAnyOrder("cover.md#0#100+", "cover.md#0#101-");
            assertThat(later).allSatisfy(r -> {
                assertThat(r.value().getRound()).isEqualTo(1);
                assertThat(r.value().getSlotsInRound()).isEqualTo(1);
                assertThat(r.value().getRevision()).isEqualTo(4L);
            });
            assertThat(later).filteredOn(r -> !r.value().getRemoved()).singleElement()
                    .satisfies(r -> assertThat(r.value().getPromptVersion()).isEqualTo("test-v1+focus-test"));
            // and the model was asked again (no cache hit on the first pass's answer), with the focus named
            assertThat(model.callsFor("cover.md#0")).isEqualTo(2);
            assertThat(model.focusSeen.get("cover.md#0")).containsExactly(List.of(),
                    List.of("cover.md#0|parameter.default|X.b", "cover.md#0|parameter.default|X.a"));
            // under a cache key of its own, while the first pass's key is the one it always was
            String firstKey = CacheKey.of(first, model);
            String followUpKey = CacheKey.of(followUp, model);
            assertThat(firstKey).isEqualTo(CacheKey.of("cover-text", model)).isNotEqualTo(followUpKey);
            assertThat(CacheKey.of(WorkerHarness.followUp("fast", chunk, 4, 1, "X.a", "X.b"), model)).isEqualTo(followUpKey);
            assertThat(CacheKey.of(WorkerHarness.followUp("fast", chunk, 4, 2, "X.a", "X.b"), model)).isNotEqualTo(followUpKey);
            var cacheKeys = dev.qastream.runtime.kafka.TopicSnapshot.records(ctx.kafka(), ctx.topics().cache).stream()
                    .map(ConsumerRecord::key).toList();
            assertThat(cacheKeys).contains(firstKey, followUpKey);
            // and the stuck follow-up went to the next tier with its focus and round
            List<dev.qastream.schemas.GenerationRequest> escalated = WorkerHarness.requests(ctx, "balanced", "stuck.md#0");
            assertThat(escalated).singleElement().satisfies(r -> {
                assertThat(r.getRound()).isEqualTo(2);
                assertThat(r.getFocus()).extracting(f -> f.getSubject()).containsExactly("Y.c");
                assertThat(r.getEscalatedFrom()).containsExactly("fast");
            });
        }
    }

    @Test
    void aPromptVersionBeyondTheKeptOnesTombstonesTheOldestCacheEntryOnTheTopic() throws Exception {
        // Given a cache that keeps one prompt version per chunk and model, and a chunk answered under v1
        ServiceContext ctx = h.ctx(Map.of("generation.cache.keep-prompt-versions", "1"));
        h.clearRequests(ctx);
        ScriptedGenerator v1 = ScriptedGenerator.answering("m", 0, 1).withPromptVersion("evict-v1");
        send(ctx, request("fast", chunk("evict.md#0", "evict-text"), 1));
        try (var w = run(ctx, "fast", v1, "evict-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "evict-fast"));
        }
        String oldKey = CacheKey.of("evict-text", v1);

        // When the prompt changes and the chunk is generated again
        ScriptedGenerator v2 = ScriptedGenerator.answering("m", 0, 1).withPromptVersion("evict-v2");
        send(ctx, request("fast", chunk("evict.md#0", "evict-text"), 1));
        try (var w = run(ctx, "fast", v2, "evict-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "evict-fast"));
        }

        // Then the new entry is on generation.cache, and the old one is tombstoned after it, so compaction frees it
        var records = dev.qastream.runtime.kafka.TopicSnapshot.records(ctx.kafka(), ctx.topics().cache);
        assertThat(records).filteredOn(r -> r.key().equals(oldKey)).extracting(r -> r.value() == null ? "tombstone" : "entry")
                .containsExactly("entry", "tombstone");
        assertThat(records).filteredOn(r -> r.key().equals(CacheKey.of("evict-text", v2)))
                .singleElement().satisfies(r -> assertThat(r.value()).isNotNull());
    }

    @Test
    void aRegenerationThatFailsLeavesThePreviousPairsInPlace() throws Exception {
        // Given a chunk whose pairs were generated
        ServiceContext ctx = h.ctx(Map.of("generation.max-pairs-per-chunk", "3"));
        h.clearRequests(ctx);
        send(ctx, request("fast", chunk("keep.md#0", "keep"), 5));
        try (var w = run(ctx, "fast", ScriptedGenerator.answering("m", 0, 2), "keep-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "keep-fast"));
        }

        // When it is replayed under another model, which rejects it for good
        ScriptedGenerator rejecting = new ScriptedGenerator("other", (chunk, attempt) -> {
            throw new GenerationException("model 'other' not found", Kind.PERMANENT);
        });
        send(ctx, request("fast", chunk("keep.md#0", "keep"), 5));
        try (var w = run(ctx, "fast", rejecting, "keep-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "keep-fast"));
        }

        // Then the replay is dead-lettered, removing nothing: the chunk keeps its two pairs
        assertThat(deadLetters(ctx, "keep.md#0")).singleElement().satisfies(d -> {
            assertThat(d.getReason()).contains("not found");
            assertThat(d.getRemovedPairs()).isZero();
        });
        Map<String, QaPair> kept = WorkerHarness.lastByOffset(pairs(ctx, "keep.md#0#"));
        assertThat(kept.values()).filteredOn(p -> !p.getRemoved()).extracting(QaPair::getPairKey)
                .containsExactlyInAnyOrder("keep.md#0#0", "keep.md#0#1");
    }

    @Test
    void aResultTooLargeForTheBrokerIsDeadLetteredAndTheOtherResultsAreWritten() throws Exception {
        // Given a model that answers one chunk with an answer larger than a record may be (1 MiB), the rest briefly
        ServiceContext ctx = h.ctx(Map.of());
        h.clearRequests(ctx);
        String huge = "x".repeat(1_500_000);
        ScriptedGenerator generator = new ScriptedGenerator("m", (chunk, attempt) -> chunk.getChunkId().startsWith("huge")
                ? Generation.of(List.of(new GeneratedPair("What is it?", huge, "factual")))
                : ScriptedGenerator.pairs(chunk, 1));
        WorkerHarness.sendTo(ctx, 0, request("fast", chunk("small.md#0", "small-0"), 1),
                request("fast", chunk("huge.md#0", "huge"), 2), request("fast", chunk("small.md#1", "small-1"), 3));

        // When the worker writes the results
        try (var w = run(ctx, "fast", generator, "huge-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(45), Map.of("fast", "huge-fast"));
        }

        // Then the huge result is dead-lettered with the reason, writing nothing else, and the others are written
        assertThat(deadLetters(ctx, "huge.md#0")).singleElement()
                .satisfies(d -> assertThat(d.getReason()).startsWith("result too large"));
        assertThat(pairs(ctx, "huge.md#0")).isEmpty();
        assertThat(pairs(ctx, "small.md#")).filteredOn(r -> !r.value().getRemoved()).hasSize(2);
        assertThat(generator.callsFor("huge.md#0")).isEqualTo(1);
    }

    @Test
    void aResultHeldBehindASlowCallWhenTheWorkerStopsIsNotPaidForAgainByTheNextOwner() throws Exception {
        // Given a worker with a slow call in flight and, behind it on the same partition, a result already answered
        // (held: offsets are committed in order, so it cannot be written before the slow one)
        ServiceContext ctx = h.ctx(Map.of("tiers.fast.max-concurrency", "2"));
        h.clearRequests(ctx);
        ScriptedGenerator first = new ScriptedGenerator("m", (chunk, attempt) -> {
            if (chunk.getChunkId().equals("held.md#0")) {
                Thread.sleep(60_000);
            }
            return ScriptedGenerator.pairs(chunk, 1);
        });
        WorkerHarness.sendTo(ctx, 0, request("fast", chunk("held.md#0", "held-0"), 1),
                request("fast", chunk("held.md#1", "held-1"), 2));
        try (var w = run(ctx, "fast", first, "held-fast")) {
            WorkerHarness.awaitTrue(Duration.ofSeconds(60), "both calls made",
                    () -> first.callsFor("held.md#0") == 1 && first.callsFor("held.md#1") == 1);
            Thread.sleep(500); // the quick one answered and is decided

            // When the worker stops (its partitions revoked) before the slow call answers
        }

        // Then the next owner of the partition, a fresh process, is answered from the cache for the held result
        ServiceContext next = h.ctx(Map.of());
        ScriptedGenerator second = ScriptedGenerator.answering("m", 0, 1);
        try (var w = run(next, "fast", second, "held-fast")) {
            awaitDrained(next, Duration.ofSeconds(60), Map.of("fast", "held-fast"));
        }
        assertThat(second.callsFor("held.md#0")).isEqualTo(1);
        assertThat(second.callsFor("held.md#1")).isZero();
        assertThat(pairs(ctx, "held.md#")).filteredOn(r -> !r.value().getRemoved()).hasSize(2);
    }

    @Test
    void generatorErrorsAreRetriedUpToTheTierRetriesThenDeadLetteredWithTheExceptionText() throws Exception {
        // Given a generator that throws a plain runtime exception for one chunk, once for another
        ServiceContext ctx = h.ctx(Map.of("tiers.fast.retries", "2"));
        h.clearRequests(ctx);
        ScriptedGenerator generator = new ScriptedGenerator("m", (chunk, attempt) -> {
            if (chunk.getChunkId().startsWith("npe") || attempt == 1) {
                throw new IllegalStateException("generator bug");
            }
            return ScriptedGenerator.pairs(chunk, 2);
        });
        send(ctx, request("fast", chunk("npe.md#0", "npe"), 1), request("fast", chunk("once.md#0", "once"), 2));

        try (var w = run(ctx, "fast", generator, "error-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "error-fast"));
        }

        // Then the one that failed once has its pairs; the other is dead-lettered after 1 + 2 retries
        assertThat(pairs(ctx, "once.md#0")).filteredOn(r -> !r.value().getRemoved()).hasSize(2);
        assertThat(generator.callsFor("npe.md#0")).isEqualTo(3);
        List<DeadLetter> dead = deadLetters(ctx, "npe.md#0");
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.getReason()).contains("IllegalStateException").contains("generator bug");
            assertThat(d.getAttempts()).isEqualTo(3);
        });
    }

    @Test
    void unparseableOutputEscalatesTierByTierThenDeadLettersWithTheRawOutputWhilePermanentGoesStraightThere() throws Exception {
        // Given every tier's model answers prose for "prose" chunks, and the fast model does not exist for "nomodel"
        ServiceContext ctx = h.ctx(Map.of("tiers.fast.retries", "1", "tiers.balanced.retries", "0", "tiers.quality.retries", "0"));
        h.clearRequests(ctx);
        ScriptedGenerator.Script script = (chunk, attempt) -> {
            if (chunk.getChunkId().startsWith("nomodel")) {
                throw new GenerationException("model 'x' not found", Kind.PERMANENT);
            }
            throw new GenerationException("no JSON array in the answer", Kind.UNPARSEABLE, "I think the answer is...", null);
        };
        ScriptedGenerator fast = new ScriptedGenerator("small", script);
        ScriptedGenerator balanced = new ScriptedGenerator("medium", script);
        ScriptedGenerator quality = new ScriptedGenerator("large", script);
        send(ctx, request("fast", chunk("prose.md#0", "prose"), 5), request("fast", chunk("nomodel.md#0", "nomodel"), 6));

        // When the three tiers run
        try (var f = run(ctx, "fast", fast, "esc-fast"); var b = run(ctx, "balanced", balanced, "esc-balanced");
             var q = run(ctx, "quality", quality, "esc-quality")) {
            WorkerHarness.awaitTrue(Duration.ofSeconds(60), "two dead letters", () -> deadLetters(ctx, "").size() >= 2);
            awaitDrained(ctx, Duration.ofSeconds(30), Map.of("fast", "esc-fast", "balanced", "esc-balanced", "quality", "esc-quality"));
        }

        // Then the prose chunk was tried twice on fast (1 retry), once on balanced and quality, then dead-lettered
        assertThat(fast.callsFor("prose.md#0")).isEqualTo(2);
        assertThat(balanced.callsFor("prose.md#0")).isEqualTo(1);
        assertThat(quality.callsFor("prose.md#0")).isEqualTo(1);
        DeadLetter prose = deadLetters(ctx, "prose.md#0").getFirst();
        assertThat(prose.getTiersTried()).containsExactly("fast", "balanced", "quality");
        assertThat(prose.getRawOutput()).isEqualTo("I think the answer is...");
        assertThat(prose.getReason()).contains("no JSON array");
        assertThat(prose.getRequest().getRevision()).isEqualTo(5L);
        assertThat(prose.getRequest().getLastFailure()).contains("no JSON array");
        // and the missing model went straight to the dead-letter topic from fast, escalating nowhere
        DeadLetter nomodel = deadLetters(ctx, "nomodel.md#0").getFirst();
        assertThat(nomodel.getTiersTried()).containsExactly("fast");
        assertThat(nomodel.getAttempts()).isEqualTo(1);
        assertThat(balanced.callsFor("nomodel.md#0")).isZero();
        assertThat(h.counter(ctx, "qastream.generation.escalations", "from", "fast")).isEqualTo(1.0);
        assertThat(h.counter(ctx, "qastream.generation.parse.failures", "tier", "fast")).isEqualTo(2.0);
    }

    @Test
    void circuitBreakerRidesOutAServerOutageWithoutDeadLettersAndWritesEverythingAfterIt() throws Exception {
        // Given a model server that refuses every call for the first 8 s, and a breaker that opens after 3 failures
        ServiceContext ctx = h.ctx(Map.of("generation.breaker-failures", "3", "generation.breaker-open-ms", "1000",
                "generation.retry-backoff-ms", "100", "generation.retry-max-backoff-ms", "400", "tiers.fast.max-concurrency", "2"));
        h.clearRequests(ctx);
        long outageEnds = System.currentTimeMillis() + 8_000;
        AtomicInteger duringOutage = new AtomicInteger();
        ScriptedGenerator generator = new ScriptedGenerator("m", (chunk, attempt) -> {
            if (System.currentTimeMillis() < outageEnds) {
                duringOutage.incrementAndGet();
                throw new GenerationException("connection refused", Kind.TRANSIENT);
            }
            return ScriptedGenerator.pairs(chunk, 2);
        });
        for (int i = 0; i < 6; i++) {
            send(ctx, request("fast", chunk("outage.md#" + i, "outage-" + i), i));
        }

        // When the worker runs through the outage
        try (var w = run(ctx, "fast", generator, "outage-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "outage-fast"));
        }

        // Then nothing was dead-lettered, every chunk has its pairs, and the breaker held calls back: without it,
        // six chunks retrying every 400 ms for 8 s would have made over 100 calls
        assertThat(deadLetters(ctx, "outage")).isEmpty();
        assertThat(pairs(ctx, "outage.md#")).filteredOn(r -> !r.value().getRemoved()).hasSize(12);
        assertThat(duringOutage.get()).isBetween(3, 20);
        assertThat(System.currentTimeMillis()).isGreaterThan(outageEnds);
    }

    @Test
    void cachedResponsesAreReusedForTheSameTextUnderNewKeysAndSurviveAWorkerRestart() throws Exception {
        // Given three chunks generated once
        ServiceContext ctx = h.ctx(Map.of());
        h.clearRequests(ctx);
        ScriptedGenerator generator = ScriptedGenerator.answering("m", 0, 2);
        for (int i = 0; i < 3; i++) {
            send(ctx, request("fast", chunk("cache.md#" + i, "cached-text-" + i), i));
        }
        try (var w = run(ctx, "fast", generator, "cache-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "cache-fast"));
            assertThat(generator.total.get()).isEqualTo(3);

            // When the same texts come again at shifted ordinals (a section inserted above them)
            for (int i = 0; i < 3; i++) {
                send(ctx, request("fast", chunk("cache.md#" + (i + 1), "cached-text-" + i), 10 + i));
            }
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "cache-fast"));
        }
        // Then no model was called again, and the pairs went out under the new keys with the new revisions
        assertThat(generator.total.get()).isEqualTo(3);
        assertThat(pairs(ctx, "cache.md#3#")).filteredOn(r -> !r.value().getRemoved()).hasSize(2)
                .allSatisfy(r -> assertThat(r.value().getRevision()).isEqualTo(12L));
        assertThat(h.counter(ctx, "qastream.generation.cache", "result", "hit")).isEqualTo(3.0);

        // When a fresh worker (new cache view, as after a restart) is asked for them again
        ScriptedGenerator restarted = ScriptedGenerator.answering("m", 0, 2);
        send(ctx, request("fast", chunk("cache.md#0", "cached-text-0"), 20));
        try (var w = run(ctx, "fast", restarted, "cache-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "cache-fast"));
        }
        // Then the cache topic answered, not the model
        assertThat(restarted.total.get()).isZero();
        assertThat(pairs(ctx, "cache.md#0#")).filteredOn(r -> r.value().getRevision() == 20L && !r.value().getRemoved()).hasSize(2);
    }

    @Test
    void aChunkWithNoUsablePairsIsCountedWithItsReasonAndClearsItsSlots() throws Exception {
        // Given a model that answers nothing for one chunk and only blank pairs for another
        ServiceContext ctx = h.ctx(Map.of());
        h.clearRequests(ctx);
        ScriptedGenerator generator = new ScriptedGenerator("m", (chunk, attempt) -> chunk.getChunkId().startsWith("none")
                ? Generation.of(List.of())
                : Generation.of(List.of(new GeneratedPair(" ", "answer", null))));
        send(ctx, request("fast", chunk("none.md#0", "none"), 3), request("fast", chunk("blank.md#0", "blank"), 4));

        try (var w = run(ctx, "fast", generator, "empty-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "empty-fast"));
        }

        // Then both are counted with their reasons, and every slot of both got a removal at its revision
        assertThat(h.counter(ctx, "qastream.generation.empty", "tier", "fast", "reason", "no-pairs")).isEqualTo(1.0);
        assertThat(h.counter(ctx, "qastream.generation.empty", "tier", "fast", "reason", "no-usable-pairs")).isEqualTo(1.0);
        assertThat(pairs(ctx, "none.md#0")).hasSize(4).allSatisfy(r -> assertThat(r.value().getRemoved()).isTrue());
        assertThat(pairs(ctx, "blank.md#0")).hasSize(4).allSatisfy(r -> assertThat(r.value().getRemoved()).isTrue());
    }

    @Test
    void aWorkerRunThatFailsIsStartedAgainAsInTheServiceAndItsRequestsStillGoOut() throws Exception {
        // Given a worker whose first run cannot reach the schema registry (it fails registering its output
        // schemas, before taking partitions), and whose later runs can
        ServiceContext ctx = h.ctx(Map.of());
        h.clearRequests(ctx);
        ServiceContext noRegistry = ServiceContext.create(ctx.config(), ctx.kafka(), unreachableRegistry(), ctx.meters());
        ScriptedGenerator generator = ScriptedGenerator.answering("m", 0, 2);
        AtomicInteger started = new AtomicInteger();
        send(ctx, request("fast", chunk("restart.md#0", "restart"), 1));

        // When the harness runs it
        try (var w = new WorkerHarness.Running(() -> new GenerationWorker(
                started.getAndIncrement() == 0 ? noRegistry : ctx, "fast", generator, "restart-fast"))) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "restart-fast"));

            // Then the first run failed on the registry, a second one took over, and the chunk's pairs are out
            assertThat(w.failedRuns()).singleElement()
                    .satisfies(e -> assertThat(e).hasRootCauseInstanceOf(IOException.class));
        }
        assertThat(started.get()).isGreaterThanOrEqualTo(2);
        assertThat(pairs(ctx, "restart.md#0")).filteredOn(r -> !r.value().getRemoved()).hasSize(2);
    }

    @Test
    void aWorkerThatKeepsFailingStillFailsTheTest() throws Exception {
        // Given a worker that can never reach the schema registry
        ServiceContext ctx = h.ctx(Map.of());
        ServiceContext noRegistry = ServiceContext.create(ctx.config(), ctx.kafka(), unreachableRegistry(), ctx.meters());
        var w = new WorkerHarness.Running(() -> new GenerationWorker(noRegistry, "fast",
                ScriptedGenerator.answering("m", 0, 1), "failing-fast"));

        // When it has failed more than once
        WorkerHarness.awaitTrue(Duration.ofSeconds(60), "two failed runs", () -> w.failedRuns().size() >= 2);

        // Then closing the harness fails the test
        assertThatThrownBy(w::close).isInstanceOf(AssertionError.class).hasMessageContaining("worker runs that failed");
    }

    /** A registry URL on a loopback port nothing listens on. */
    private static String unreachableRegistry() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + free.getLocalPort() + "/apis/registry/v3";
        }
    }
}
