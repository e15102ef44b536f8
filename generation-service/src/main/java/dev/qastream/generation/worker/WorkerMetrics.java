package dev.qastream.generation.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The meters of one tier's worker. Counts of what was written (pairs, removals, dead letters, escalations,
 * empty chunks) move only after their transaction committed; counts of what was spent (requests, tokens,
 * latency, parse failures, cache lookups) move when the call or lookup happens, since a model call costs
 * its tokens whether or not its result is later committed.
 */
public final class WorkerMetrics {
    private final MeterRegistry meters;
    private final String tier;
    private final Counter pairs;
    private final Counter removals;
    private final Counter deadLetters;
    private final Counter rebalances;
    private final Counter parseFailures;

    public WorkerMetrics(MeterRegistry meters, String tier) {
        this.meters = meters;
        this.tier = tier;
        this.pairs = Counter.builder("qastream.generation.pairs").tag("tier", tier).register(meters);
        this.removals = Counter.builder("qastream.generation.removals").tag("tier", tier).register(meters);
        this.deadLetters = Counter.builder("qastream.generation.dead.letters").tag("tier", tier).register(meters);
        this.rebalances = Counter.builder("qastream.generation.rebalances").tag("tier", tier).register(meters);
        this.parseFailures = Counter.builder("qastream.generation.parse.failures").tag("tier", tier).register(meters);
    }

    /** One model call finished: outcome ok, empty, transient, unparseable, permanent or error. */
    public void call(String model, String outcome, Duration latency, int tokensIn, int tokensOut) {
        meters.counter("qastream.generation.requests", "tier", tier, "model", model, "outcome", outcome).increment();
        Timer.builder("qastream.generation.latency").tag("tier", tier).tag("model", model)
                .publishPercentileHistogram().register(meters).record(latency);
        if (tokensIn > 0) {
            meters.counter("qastream.generation.tokens", "tier", tier, "model", model, "direction", "in").increment(tokensIn);
        }
        if (tokensOut > 0) {
            meters.counter("qastream.generation.tokens", "tier", tier, "model", model, "direction", "out").increment(tokensOut);
        }
        if ("unparseable".equals(outcome)) {
            parseFailures.increment();
        }
    }

    public void cache(boolean hit) {
        meters.counter("qastream.generation.cache", "tier", tier, "result", hit ? "hit" : "miss").increment();
    }

    public void retry(String kind) {
        meters.counter("qastream.generation.retries", "tier", tier, "kind", kind).increment();
    }

    public void committedPairs(int n) {
        pairs.increment(n);
    }

    public void committedRemovals(int n) {
        removals.increment(n);
    }

    public void committedDeadLetter() {
        deadLetters.increment();
    }

    public void committedEscalation() {
        meters.counter("qastream.generation.escalations", "from", tier).increment();
    }

    /** A chunk that yielded zero usable pairs, with why: never silent. */
    public void committedEmpty(String reason) {
        meters.counter("qastream.generation.empty", "tier", tier, "reason", reason).increment();
    }

    public void rebalance() {
        rebalances.increment();
    }

    /** A call started on a slot beyond the tier's max-concurrency, lent by its server's idle tiers. */
    public void lentSlot() {
        meters.counter("qastream.generation.calls.lent", "tier", tier).increment();
    }

    /** A request record read again because the registry could not be reached (not a bad record). */
    public void registryUnavailable() {
        meters.counter("qastream.generation.registry.unavailable", "tier", tier).increment();
    }

    /** A request record no schema reads, committed to the raw dead-letter topic. */
    public void committedUndecodable() {
        meters.counter("qastream.generation.undecodable", "tier", tier).increment();
    }

    /** A result whose chunk has a newer revision: it wrote nothing, its offset was committed. */
    public void committedStale() {
        meters.counter("qastream.generation.stale", "tier", tier).increment();
    }

    /** A result that could not be written at all, not even as a dead letter (logged with the chunk). */
    public void unwritable() {
        meters.counter("qastream.generation.unwritable", "tier", tier).increment();
    }
}
