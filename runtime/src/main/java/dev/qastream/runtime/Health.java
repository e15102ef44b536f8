package dev.qastream.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * What a service says about itself on /health: UP, DEGRADED (working, but something needs a look: a stream thread
 * that keeps failing, input that waits and is not processed) or DOWN (cannot do its work), with the reason in
 * words. An UP service may carry a reason too, as a note (e.g. records it sent to its dead-letter topic).
 */
public record Health(Status status, String reason) {
    public enum Status { UP, DEGRADED, DOWN }

    public Health {
        reason = reason == null ? "" : reason.strip();
    }

    public static Health up() {
        return new Health(Status.UP, "");
    }

    public static Health up(String note) {
        return new Health(Status.UP, note);
    }

    public static Health degraded(String reason) {
        return new Health(Status.DEGRADED, reason);
    }

    public static Health down(String reason) {
        return new Health(Status.DOWN, reason);
    }

    /** UP or DOWN from a plain check. */
    public static Health of(boolean healthy) {
        return healthy ? up() : down("");
    }

    /** Still doing its work: UP or DEGRADED. */
    public boolean working() {
        return status != Status.DOWN;
    }

    /** The worst status of the parts, with the reasons of the parts that have one, each named. */
    public static Health combine(List<Named> parts) {
        Status worst = Status.UP;
        List<String> reasons = new ArrayList<>();
        for (Named part : parts) {
            if (part.health().status().compareTo(worst) > 0) {
                worst = part.health().status();
            }
            if (!part.health().reason().isEmpty()) {
                reasons.add(part.name() + ": " + part.health().reason());
            }
        }
        return new Health(worst, String.join("; ", reasons));
    }

    /** A part's health under its name, for {@link #combine}. */
    public record Named(String name, Health health) {
    }

    /** "UP", "DEGRADED: why". */
    @Override
    public String toString() {
        return reason.isEmpty() ? status.name() : status + ": " + reason;
    }
}
