package dev.qastream.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Which fault, if any, the next generation call gets. Scheduled faults come first ("the next N calls",
 * then "every call until a deadline"), then faults by rate, drawn from a seeded generator so a run
 * repeats. Changeable at runtime from any thread.
 */
public final class FaultPlan {
    private final Deque<Fault> next = new ArrayDeque<>();
    private final Map<Fault, Long> until = new LinkedHashMap<>();
    private final Map<Fault, Double> rates = new EnumMap<>(Fault.class);
    private final SplittableRandom random;

    FaultPlan(long seed, Map<Fault, Double> initialRates) {
        this.random = new SplittableRandom(seed);
        initialRates.forEach(this::rate);
    }

    /** Each call fails this way with probability {@code rate} (0 removes the fault). */
    public synchronized FaultPlan rate(Fault fault, double rate) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("fault rate must be in [0, 1], was " + rate);
        }
        if (rate == 0) {
            rates.remove(fault);
        } else {
            rates.put(fault, rate);
        }
        return this;
    }

    /** The next {@code calls} calls fail this way (after faults already scheduled by count). */
    public synchronized FaultPlan next(Fault fault, int calls) {
        for (int i = 0; i < calls; i++) {
            next.add(fault);
        }
        return this;
    }

    /** Every call fails this way for the given time from now. */
    public synchronized FaultPlan during(Fault fault, Duration duration) {
        until.put(fault, System.nanoTime() + duration.toNanos());
        return this;
    }

    /** No more faults of any kind. */
    public synchronized FaultPlan clear() {
        next.clear();
        until.clear();
        rates.clear();
        return this;
    }

    synchronized Optional<Fault> draw() {
        if (!next.isEmpty()) {
            return Optional.of(next.poll());
        }
        long now = System.nanoTime();
        until.values().removeIf(deadline -> deadline - now <= 0);
        if (!until.isEmpty()) {
            return Optional.of(until.keySet().iterator().next());
        }
        double x = random.nextDouble();
        for (Map.Entry<Fault, Double> e : rates.entrySet()) {
            x -= e.getValue();
            if (x < 0) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }
}
