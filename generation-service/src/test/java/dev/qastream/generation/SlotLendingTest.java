package dev.qastream.generation;

import dev.qastream.generation.worker.ModelServers;
import dev.qastream.generation.worker.ModelServers.ModelServer;
import dev.qastream.runtime.config.Config;
import dev.qastream.schemas.GenerationRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.qastream.generation.WorkerHarness.awaitTrue;
import static dev.qastream.generation.WorkerHarness.chunk;
import static dev.qastream.generation.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two tiers of max-concurrency 2 on one server of 4 slots: the tier alone with work uses the idle ones, and gives
 * them back, call by call, as soon as the other tier has work. Each call holds until the test lets it answer.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class SlotLendingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final Map<String, CountDownLatch> answers = new ConcurrentHashMap<>();
    private volatile boolean answerEveryCall;
    private final List<ModelCalls> opened = new ArrayList<>();
    private final AtomicInteger lentFast = new AtomicInteger();
    private final AtomicInteger lentBalanced = new AtomicInteger();
    private final ScriptedGenerator fastModel = heldUntilAnswered();
    private final ScriptedGenerator balancedModel = heldUntilAnswered();

    @AfterEach
    void close() {
        answerEveryCall = true;
        opened.forEach(ModelCalls::close);
    }

    @Test
    void aTierAloneWithWorkFillsTheSlotsItsServersOtherTiersLeaveIdle() throws Exception {
        ModelServer server = server(true);
        ModelCalls fast = calls("fast", fastModel, server, lentFast);

        // When the fast tier alone has six requests
        add(fast, "fast", 6);
        fast.start();

        // Then it runs four, two of them on lent slots, and no more than the server has
        awaitTrue(WAIT, "four fast calls running", () -> fastModel.inFlight.get() == 4);
        Thread.sleep(300);
        assertThat(fastModel.maxInFlight.get()).isEqualTo(4);
        assertThat(lentFast.get()).isEqualTo(2);
    }

    @Test
    void aLentSlotGoesToAnotherTierWithWorkWhenItsCallEnds() throws Exception {
        // Given the fast tier running four calls on a server of four slots, two of them lent
        ModelServer server = server(true);
        ModelCalls fast = calls("fast", fastModel, server, lentFast);
        ModelCalls balanced = calls("balanced", balancedModel, server, lentBalanced);
        add(fast, "fast", 6);
        fast.start();
        awaitTrue(WAIT, "four fast calls running", () -> fastModel.inFlight.get() == 4);

        // When the balanced tier gets three requests: no slot is free
        add(balanced, "balanced", 3);
        balanced.start();
        Thread.sleep(300);
        assertThat(balancedModel.inFlight.get()).isZero();

        // Then each of the first two fast calls that ends gives its slot to the balanced tier, not to fast's next
        answer("lend.md#fast-0");
        awaitTrue(WAIT, "one balanced call", () -> balancedModel.inFlight.get() == 1 && fastModel.inFlight.get() == 3);
        answer("lend.md#fast-1");
        awaitTrue(WAIT, "two balanced calls", () -> balancedModel.inFlight.get() == 2 && fastModel.inFlight.get() == 2);

        // And once both tiers run their own two, a fast call that ends starts fast's next: the balanced tier,
        // with work left but at its own share, borrows nothing while the fast tier wants its own
        answer("lend.md#fast-2");
        awaitTrue(WAIT, "fast's next call", () -> fastModel.calls.containsKey("lend.md#fast-4"));
        Thread.sleep(300);
        assertThat(fastModel.inFlight.get()).isEqualTo(2);
        assertThat(balancedModel.inFlight.get()).isEqualTo(2);
        assertThat(balancedModel.maxInFlight.get()).isEqualTo(2);
        assertThat(lentBalanced.get()).isZero();

        // And every request is answered in the end, each once
        answerEveryCall = true;
        awaitTrue(WAIT, "all answered", () -> fast.idle() && balanced.idle());
        assertThat(completions(fast)).isEqualTo(6);
        assertThat(completions(balanced)).isEqualTo(3);
        assertThat(fastModel.calls.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(server.slots().availablePermits()).isEqualTo(4);
    }

    @Test
    void withSharingOffATierKeepsToItsMaxConcurrency() throws Exception {
        ModelServer server = server(false);
        ModelCalls fast = calls("fast", fastModel, server, lentFast);

        add(fast, "fast", 6);
        fast.start();

        awaitTrue(WAIT, "two fast calls running", () -> fastModel.inFlight.get() == 2);
        Thread.sleep(300);
        assertThat(fastModel.maxInFlight.get()).isEqualTo(2);
        assertThat(lentFast.get()).isZero();
        assertThat(server.slots().availablePermits()).isEqualTo(2);
    }

    @Test
    void aTierThatBorrowsNoSlotsKeepsToItsMaxConcurrencyOnASharingServer() throws Exception {
        // Given a server that lends idle slots, and a tier set not to borrow them (its model runs two at a time)
        ModelServer server = server(true);
        ModelCalls quality = calls("quality", fastModel, server, lentFast, false);

        add(quality, "quality", 6);
        quality.start();

        awaitTrue(WAIT, "two calls running", () -> fastModel.inFlight.get() == 2);
        Thread.sleep(300);
        assertThat(fastModel.maxInFlight.get()).isEqualTo(2);
        assertThat(lentFast.get()).isZero();
    }

    private ModelServer server(boolean share) {
        Config config = Config.load(null).with(Map.of("generation.server-slots", "4", "generation.queue-ahead", "0",
                "tiers.fast.max-concurrency", "2", "tiers.balanced.max-concurrency", "2",
                "generation.share-idle-slots", String.valueOf(share)));
        return new ModelServers(config, new SimpleMeterRegistry()).forTier(config, "fast", "ollama");
    }

    private ModelCalls calls(String tier, ScriptedGenerator model, ModelServer server, AtomicInteger lent) {
        return calls(tier, model, server, lent, true);
    }

    private ModelCalls calls(String tier, ScriptedGenerator model, ModelServer server, AtomicInteger lent, boolean borrows) {
        ModelCalls calls = new ModelCalls(tier, model, 2, server.reach(2, borrows), server, () -> { }, lent::incrementAndGet);
        opened.add(calls);
        return calls;
    }

    /** A model whose call on a chunk answers once the test counts down that chunk's latch. */
    private ScriptedGenerator heldUntilAnswered() {
        return new ScriptedGenerator("m", (chunk, attempt) -> {
            CountDownLatch answer = answers.computeIfAbsent(chunk.getChunkId(), id -> new CountDownLatch(1));
            while (!answerEveryCall && !answer.await(20, TimeUnit.MILLISECONDS)) {
                // held
            }
            return ScriptedGenerator.pairs(chunk, 1);
        });
    }

    private void answer(String chunkId) {
        answers.computeIfAbsent(chunkId, id -> new CountDownLatch(1)).countDown();
    }

    private static void add(ModelCalls calls, String tier, int n) {
        for (int i = 0; i < n; i++) {
            GenerationRequest r = request(tier, chunk("lend.md#" + tier + "-" + i, tier + "-" + i), i);
            calls.add(new GenerationJob(new ConsumerRecord<>("generation.requests." + tier, 0, i,
                    r.getChunk().getChunkId(), r)));
        }
    }

    private static int completions(ModelCalls calls) {
        int n = 0;
        while (calls.nextCompletion() != null) {
            n++;
        }
        return n;
    }
}
