package dev.qastream.generation;

import dev.qastream.llm.GenerationException;

import dev.qastream.llm.GenerationException.Kind;
import dev.qastream.runtime.ServiceContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
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

/**
 * A chunk that always gets a transient error (a 500 on its prompt alone) while the server answers the others goes
 * on to the next tier instead of holding its partition for ever; a server that answers nobody is still waited for.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PoisonChunkTest extends WorkerPlatformTest {
    private static final Map<String, String> FAST_RETRIES = Map.of("generation.max-transient-failures-per-chunk", "3",
            "generation.breaker-open-ms", "200");

    @Test
    void aChunkThatFailsWhileTheServerAnswersOthersEscalatesAndTheOthersAreWritten() throws Exception {
        // Given a fast model that answers a 500 for one chunk, always, and slowly answers the others
        ServiceContext ctx = h.ctx(FAST_RETRIES);
        h.clearRequests(ctx);
        ScriptedGenerator fast = new ScriptedGenerator("small", (chunk, attempt) -> {
            if (chunk.getChunkId().startsWith("poison")) {
                throw new GenerationException("HTTP 500 model runner crashed", Kind.TRANSIENT);
            }
            Thread.sleep(300);
            return ScriptedGenerator.pairs(chunk, 1);
        });
        ScriptedGenerator balanced = ScriptedGenerator.answering("medium", 0, 1);
        send(ctx, request("fast", chunk("poison.md#0", "poison"), 3));
        for (int i = 0; i < 4; i++) {
            send(ctx, request("fast", chunk("fine.md#" + i, "fine-" + i), 10 + i));
        }

        // When the fast and balanced workers run
        try (var f = run(ctx, "fast", fast, "poison-fast"); var b = run(ctx, "balanced", balanced, "poison-balanced")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "poison-fast", "balanced", "poison-balanced"));
        }

        // Then the other chunks were written by fast, and the poisoned one, after a few tries, by balanced
        assertThat(pairs(ctx, "fine.md#")).filteredOn(r -> !r.value().getRemoved()).hasSize(4)
                .allSatisfy(r -> assertThat(r.value().getTier()).isEqualTo("fast"));
        assertThat(fast.callsFor("poison.md#0")).isGreaterThanOrEqualTo(3);
        assertThat(balanced.callsFor("poison.md#0")).isEqualTo(1);
        assertThat(pairs(ctx, "poison.md#0")).filteredOn(r -> !r.value().getRemoved()).singleElement()
                .satisfies(r -> {
                    assertThat(r.value().getTier()).isEqualTo("balanced");
                    assertThat(r.value().getRevision()).isEqualTo(3L);
                });
        assertThat(deadLetters(ctx, "poison")).isEmpty();
        assertThat(h.counter(ctx, "qastream.generation.escalations", "from", "fast")).isEqualTo(1.0);
    }

    @Test
    void aServerThatAnswersNobodyIsWaitedForHoweverOftenAChunkFails() throws Exception {
        // Given a server that refuses the first 12 calls, whichever chunk, and one call at a time
        ServiceContext ctx = h.ctx(Map.of("generation.max-transient-failures-per-chunk", "3",
                "generation.breaker-open-ms", "200", "tiers.fast.max-concurrency", "1"));
        h.clearRequests(ctx);
        AtomicInteger refused = new AtomicInteger();
        ScriptedGenerator fast = new ScriptedGenerator("small", (chunk, attempt) -> {
            if (refused.incrementAndGet() <= 12) {
                throw new GenerationException("connection refused", Kind.TRANSIENT);
            }
            return ScriptedGenerator.pairs(chunk, 1);
        });
        for (int i = 0; i < 2; i++) {
            send(ctx, request("fast", chunk("down.md#" + i, "down-" + i), i));
        }

        // When the worker runs through the outage
        try (var f = run(ctx, "fast", fast, "down-fast")) {
            awaitDrained(ctx, Duration.ofSeconds(60), Map.of("fast", "down-fast"));
        }

        // Then both chunks were written by fast, at least one after more than three failures, and nothing moved on
        assertThat(pairs(ctx, "down.md#")).filteredOn(r -> !r.value().getRemoved()).hasSize(2)
                .allSatisfy(r -> assertThat(r.value().getTier()).isEqualTo("fast"));
        assertThat(Math.max(fast.callsFor("down.md#0"), fast.callsFor("down.md#1"))).isGreaterThan(3);
        assertThat(deadLetters(ctx, "down")).isEmpty();
        assertThat(h.counter(ctx, "qastream.generation.escalations", "from", "fast")).isZero();
    }
}
