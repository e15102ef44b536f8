package dev.qastream.generation.worker;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final CircuitBreaker breaker = new CircuitBreaker(3, 500, now::get);

    @Test
    void opensAfterConsecutiveTransientFailuresAndLetsOneProbeThroughWhenTheOpenTimeIsUp() {
        // Given two failures: still closed
        breaker.onTransientFailure();
        breaker.onTransientFailure();
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.blocking()).isFalse();

        // When a third comes: open, no calls
        breaker.onTransientFailure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.blocking()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();

        // Then after the open time exactly one probe goes through
        now.addAndGet(500);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.blocking()).isTrue();

        // and a failed probe opens it again, a successful one closes it
        breaker.onTransientFailure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        now.addAndGet(500);
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onAnswer();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void anAnswerInBetweenResetsTheCountOfConsecutiveFailures() {
        breaker.onTransientFailure();
        breaker.onTransientFailure();
        breaker.onAnswer();
        breaker.onTransientFailure();
        breaker.onTransientFailure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void anUnusedProbePermissionIsGivenBack() {
        breaker.onTransientFailure();
        breaker.onTransientFailure();
        breaker.onTransientFailure();
        now.addAndGet(500);
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.release();
        assertThat(breaker.tryAcquire()).isTrue();
    }
}
