package dev.qastream.generation.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class SupervisorTest {

    @Test
    void aWorkerThatDiesIsReportedUnhealthyAndRestartedAfterABackoff() throws Exception {
        // Given a worker whose first run dies at once and whose second run keeps working
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch died = new CountDownLatch(1);
        CountDownLatch secondRunning = new CountDownLatch(1);
        Supervisor supervisor = new Supervisor("test-worker", () -> new Supervisor.Supervised() {
            private volatile boolean alive = true;
            private volatile boolean stopped;

            @Override
            public void run() {
                if (runs.incrementAndGet() == 1) {
                    alive = false;
                    died.countDown();
                    throw new IllegalStateException("fenced");
                }
                secondRunning.countDown();
                while (!stopped) {
                    Thread.onSpinWait();
                }
                alive = false;
            }

            @Override
            public void stop() {
                stopped = true;
            }

            @Override
            public boolean working() {
                return alive;
            }
        }).start();

        // When the first run has died: unhealthy during the backoff
        assertThat(died.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(100);
        assertThat(supervisor.healthy()).isFalse();

        // Then a second run starts by itself and the supervisor is healthy again, until stopped
        assertThat(secondRunning.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(supervisor.healthy()).isTrue();
        supervisor.stop(5_000);
        assertThat(runs.get()).isEqualTo(2);
        assertThat(supervisor.healthy()).isFalse();
    }
}
