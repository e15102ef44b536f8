package dev.qastream.scoring.judge;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The judge stage's meters: {@code qastream.judge.calls{outcome}}, the time of each model call by its outcome. */
final class JudgeMetrics {
    private final MeterRegistry meters;
    private final Map<String, Timer> calls = new ConcurrentHashMap<>();

    JudgeMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** @param outcome {@code judged} (a score) or {@code unavailable} (none, with a reason) */
    void call(String outcome, Duration latency) {
        calls.computeIfAbsent(outcome, o -> Timer.builder("qastream.judge.calls").tag("outcome", o)
                .description("judge model calls by outcome: judged, unavailable").register(meters)).record(latency);
    }
}
