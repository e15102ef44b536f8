package dev.qastream.runtime.streams;

import dev.qastream.runtime.Health;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class StreamsHealthTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final StreamsHealth health = new StreamsHealth("scoring.dlq", 300_000, now::get);

    @Test
    void aThreadThatKeepsBeingReplacedIsDegradedWithItsLastFailure() {
        // Given a stream thread that failed twice: a note, still UP
        health.threadReplaced(failure("connection refused"));
        now.addAndGet(60_000);
        health.threadReplaced(failure("connection refused"));
        Health twice = health.evaluate(State.RUNNING);
        assertThat(twice.status()).isEqualTo(Health.Status.UP);
        assertThat(twice.reason()).contains("replaced 2 times");

        // When it fails a third time within the window
        now.addAndGet(60_000);
        health.threadReplaced(failure("registry down"));

        // Then it is DEGRADED, and the reason says how often and why
        Health thrice = health.evaluate(State.REBALANCING);
        assertThat(thrice.status()).isEqualTo(Health.Status.DEGRADED);
        assertThat(thrice.reason()).contains("replaced 3 times in the last 5 min", "ConnectException: registry down");
        assertThat(thrice.working()).isTrue();

        // and once the failures are older than the window, it is UP again
        now.addAndGet(StreamsHealth.RESTART_WINDOW_MS - 60_000 + 1);
        assertThat(health.evaluate(State.RUNNING).reason()).contains("replaced once");
        now.addAndGet(60_000);
        assertThat(health.evaluate(State.RUNNING)).isEqualTo(Health.up());
    }

    @Test
    void inputWaitingWithNoProgressForTheStallTimeIsDegraded() {
        // Given input waiting while records are processed
        health.observe(5, 40);
        now.addAndGet(200_000);
        health.observe(5, 40);
        assertThat(health.evaluate(State.RUNNING).status()).isEqualTo(Health.Status.UP);

        // When nothing more is processed and the lag stays for the stall time
        now.addAndGet(100_000);
        health.observe(5, 40);
        Health stalled = health.evaluate(State.RUNNING);

        // Then it is DEGRADED, with how much waits and for how long
        assertThat(stalled.status()).isEqualTo(Health.Status.DEGRADED);
        assertThat(stalled.reason()).contains("40 input records waiting and no progress for 300 s");

        // and as soon as it processes again, it is UP
        now.addAndGet(1_000);
        health.observe(6, 39);
        assertThat(health.evaluate(State.RUNNING)).isEqualTo(Health.up());
    }

    @Test
    void aShrinkingLagIsProgressTooAndAnUnknownLagChangesNothing() {
        health.observe(5, 40);
        now.addAndGet(200_000);
        health.observe(5, 30); // records dead-lettered: committed, not processed
        now.addAndGet(200_000);
        health.observe(5, -1); // the broker did not answer
        assertThat(health.evaluate(State.RUNNING).status()).isEqualTo(Health.Status.UP);
        now.addAndGet(100_000);
        health.observe(5, -1);
        assertThat(health.evaluate(State.RUNNING).reason()).contains("30 input records waiting and no progress for 300 s");
    }

    @Test
    void anIdleAppIsNotStalledNorIsOneWhoseInputJustArrived() {
        // Given an app with nothing to do for longer than the stall time
        health.observe(5, 0);
        now.addAndGet(1_000_000);
        health.observe(5, 0);
        assertThat(health.evaluate(State.RUNNING)).isEqualTo(Health.up());

        // When input arrives, it is not stalled until it has waited the stall time
        health.observe(5, 3);
        assertThat(health.evaluate(State.RUNNING)).isEqualTo(Health.up());
        now.addAndGet(299_000);
        health.observe(5, 3);
        assertThat(health.evaluate(State.RUNNING)).isEqualTo(Health.up());
        now.addAndGet(1_000);
        health.observe(5, 3);
        assertThat(health.evaluate(State.RUNNING).status()).isEqualTo(Health.Status.DEGRADED);
    }

    @Test
    void aReplacedThreadCountingFromZeroAgainIsNoProgress() {
        health.observe(100, 10);
        now.addAndGet(300_000);
        // the count fell (a new thread), but nothing new was processed
        health.observe(0, 10);
        assertThat(health.evaluate(State.RUNNING).status()).isEqualTo(Health.Status.DEGRADED);
    }

    @Test
    void deadLetteredRecordsAreNamedWithoutDegrading() {
        health.deadLettered("generation.pairs", 2, 17, new SerializationException("Unknown magic byte"));
        health.deadLettered("generation.pairs", 0, 4, new IllegalStateException("artifact reference cannot be null"));

        Health h = health.evaluate(State.RUNNING);

        assertThat(h.status()).isEqualTo(Health.Status.UP);
        assertThat(h.reason()).isEqualTo("2 records sent to scoring.dlq; last generation.pairs-0@4: "
                + "IllegalStateException: artifact reference cannot be null");
    }

    @Test
    void anAppThatIsNotRunningIsDown() {
        assertThat(health.evaluate(null).status()).isEqualTo(Health.Status.DOWN);
        assertThat(health.evaluate(State.CREATED).status()).isEqualTo(Health.Status.UP);
        health.threadReplaced(failure("gone"));
        Health error = health.evaluate(State.ERROR);
        assertThat(error.status()).isEqualTo(Health.Status.DOWN);
        assertThat(error.reason()).contains("ERROR", "ConnectException: gone");
    }

    private static Exception failure(String message) {
        return new StreamsException("Deserialization exception handler is set to fail",
                new RuntimeException(new ConnectException(message)));
    }
}
