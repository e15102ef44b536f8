package dev.qastream.runtime.streams;

import dev.qastream.runtime.Health;
import org.apache.kafka.streams.KafkaStreams;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The health of one Streams app from what it reports: its state, its stream threads that failed and were replaced,
 * samples of the records it processed so far and of its consumer group's lag, and what it dead-lettered. DEGRADED
 * when a thread keeps failing ({@value #RESTARTS_DEGRADED} replacements within {@value #RESTART_WINDOW_MS} ms: a
 * record or an outage it cannot get past) or when input has waited for the stall time with no progress (nothing
 * processed, the lag not shrinking); DOWN when the app is not running.
 */
public final class StreamsHealth implements DeadLetterListener {
    /** Configuration key of the stall time in ms (not a Kafka setting; set from {@code health.stall-s}). */
    public static final String STALL_MS_CONFIG = "qastream.health.stall.ms";
    public static final long DEFAULT_STALL_MS = 300_000;
    static final int RESTARTS_DEGRADED = 3;
    static final long RESTART_WINDOW_MS = 300_000;
    private static final int MAX_DETAIL = 300;

    private final String deadLetterTopic;
    private final long stallMs;
    private final LongSupplier clock;
    private final Deque<Long> replacements = new ArrayDeque<>();
    private String lastFailure = "";
    private long deadLettered;
    private String lastDeadLetter = "";
    private long processed = -1;
    private long waiting = -1;
    private long progressAtMs;
    private long waitingSinceMs = -1;

    public StreamsHealth(String deadLetterTopic, long stallMs, LongSupplier clock) {
        this.deadLetterTopic = deadLetterTopic;
        this.stallMs = stallMs;
        this.clock = clock;
    }

    /** A stream thread died of {@code failure} and is being replaced. */
    public synchronized void threadReplaced(Throwable failure) {
        replacements.addLast(clock.getAsLong());
        lastFailure = describe(failure);
    }

    @Override
    public synchronized void deadLettered(String topic, int partition, long offset, Exception cause) {
        deadLettered++;
        lastDeadLetter = (offset < 0 ? "a punctuation" : topic + "-" + partition + "@" + offset) + ": " + describe(cause);
    }

    /**
     * One sample of the app's progress.
     *
     * @param processedTotal records processed so far by its stream threads
     * @param lag            records on its input not processed yet (its consumer group's lag); negative: not known
     *                       this time (the broker did not answer), which neither starts nor ends a wait
     */
    public synchronized void observe(long processedTotal, long lag) {
        long now = clock.getAsLong();
        // A replaced thread counts from zero again: only a count above the last one seen is progress; so is a
        // shrinking lag (records dead-lettered are committed without being processed).
        if (processedTotal > processed || (lag >= 0 && waiting >= 0 && lag < waiting)) {
            progressAtMs = now;
        }
        processed = processedTotal;
        if (lag == 0) {
            waitingSinceMs = -1;
        } else if (lag > 0 && waitingSinceMs < 0) {
            waitingSinceMs = now;
        }
        if (lag >= 0) {
            waiting = lag;
        }
    }

    /** @param state the app's state; null before it was started */
    public synchronized Health evaluate(KafkaStreams.State state) {
        long now = clock.getAsLong();
        if (state == null) {
            return Health.down("not started");
        }
        if (!state.isRunningOrRebalancing() && state != KafkaStreams.State.CREATED) {
            return Health.down("Kafka Streams is " + state + (lastFailure.isEmpty() ? "" : "; last failure: " + lastFailure));
        }
        while (!replacements.isEmpty() && replacements.peekFirst() < now - RESTART_WINDOW_MS) {
            replacements.removeFirst();
        }
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!replacements.isEmpty()) {
            String line = "stream thread failed and was replaced " + times(replacements.size()) + " in the last "
                    + RESTART_WINDOW_MS / 60_000 + " min; last failure: " + lastFailure;
            (replacements.size() >= RESTARTS_DEGRADED ? problems : notes).add(line);
        }
        long stalledMs = waitingSinceMs < 0 ? 0 : now - Math.max(progressAtMs, waitingSinceMs);
        if (waitingSinceMs >= 0 && stalledMs >= stallMs) {
            problems.add(waiting + " input records waiting and no progress for " + stalledMs / 1000
                    + " s (health.stall-s " + stallMs / 1000 + ")");
        }
        if (deadLettered > 0) {
            notes.add(deadLettered + (deadLettered == 1 ? " record" : " records") + " sent to " + deadLetterTopic
                    + "; last " + lastDeadLetter);
        }
        List<String> reasons = new ArrayList<>(problems);
        reasons.addAll(notes);
        String reason = String.join("; ", reasons);
        return problems.isEmpty() ? Health.up(reason) : Health.degraded(reason);
    }

    private static String times(int n) {
        return n == 1 ? "once" : n + " times";
    }

    /** The innermost cause, which says what went wrong; the outer ones say where. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        text = text.replaceAll("\\s+", " ");
        return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "..." : text;
    }
}
