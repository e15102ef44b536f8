package dev.qastream.scoring;

import dev.qastream.runtime.config.Config;

import java.time.Duration;

/**
 * How the scoring step gathers pairs for the embedding model: up to {@code pairs} at a time (the model embeds
 * a batch on every core, one pair's two texts barely use one), and no pair waits longer than {@code linger}.
 */
public record Batching(int pairs, Duration linger) {
    /** Each pair scored as it arrives: what the topology tests read most easily. */
    public static final Batching ONE_AT_A_TIME = new Batching(1, Duration.ofMillis(100));

    public Batching {
        if (pairs < 1) {
            throw new IllegalArgumentException("scoring.batch.pairs must be at least 1, was " + pairs);
        }
        if (linger.isNegative() || linger.isZero()) {
            throw new IllegalArgumentException("scoring.batch.linger-ms must be positive, was " + linger.toMillis());
        }
    }

    public static Batching from(Config c) {
        return new Batching(c.integer("scoring.batch.pairs"), Duration.ofMillis(c.longValue("scoring.batch.linger-ms")));
    }
}
