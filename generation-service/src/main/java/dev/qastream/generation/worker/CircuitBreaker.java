package dev.qastream.generation.worker;

import java.util.function.LongSupplier;

/**
 * One per model server, shared by the tiers on it. Closed: calls go through. After {@code threshold}
 * consecutive transient failures it opens: no calls (the tiers pause their partitions) for {@code openMs};
 * then it lets exactly one probe call through (half-open), closing when the probe answers and opening
 * again when it fails.
 */
public final class CircuitBreaker {
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final long openMs;
    private final LongSupplier clock;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openUntilMs;
    private boolean probeInFlight;

    public CircuitBreaker(int threshold, long openMs, LongSupplier clock) {
        this.threshold = Math.max(1, threshold);
        this.openMs = openMs;
        this.clock = clock;
    }

    /** True when a call may start now; in half-open state only the first caller gets the probe. */
    public synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (clock.getAsLong() < openUntilMs) {
                    return false;
                }
                state = State.HALF_OPEN;
                probeInFlight = true;
                return true;
            default:
                if (probeInFlight) {
                    return false;
                }
                probeInFlight = true;
                return true;
        }
    }

    /** Gives back a permission that was not used (the call did not start). */
    public synchronized void release() {
        if (state == State.HALF_OPEN) {
            probeInFlight = false;
        }
    }

    /** The server answered (with pairs or not): it is up. */
    public synchronized void onAnswer() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        probeInFlight = false;
    }

    /** Connection refused, timeout, 429, 5xx. */
    public synchronized void onTransientFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= threshold) {
            state = State.OPEN;
            openUntilMs = clock.getAsLong() + openMs;
            probeInFlight = false;
        }
    }

    /** True while calls are held back (open, or half-open with the probe out): the tiers pause. */
    public synchronized boolean blocking() {
        return switch (state) {
            case CLOSED -> false;
            case OPEN -> clock.getAsLong() < openUntilMs;
            case HALF_OPEN -> probeInFlight;
        };
    }

    public synchronized State state() {
        return state;
    }
}
