package dev.qastream.generation.worker;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: base * 2^(attempt-1), capped, then drawn in [half, full] so retries spread out. */
public record Backoff(long baseMs, long maxMs) {

    public long delayMs(int attempt) {
        long exp = baseMs << Math.min(Math.max(attempt - 1, 0), 20);
        long capped = Math.min(Math.max(exp, 0), maxMs);
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }
}
