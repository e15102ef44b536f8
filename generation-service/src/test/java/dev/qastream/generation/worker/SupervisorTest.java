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

    @Test
    void aWorkerMadeWhileTheSupervisorIsStoppedIsDiscardedNotLeaked() throws Exception {
        // Given a worker that takes a while to make (its clients connecting), and a stop that comes meanwhile
        CountDownLatch making = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger discarded = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        Supervisor supervisor = new Supervisor("test-worker", () -> {
            making.countDown();
            try {
                stopped.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Supervisor.Supervised() {
                @Override
                public void run() {
                    ran.incrementAndGet();
                }

                @Override
                public void stop() {
                }

                @Override
                public boolean working() {
                    return false;
                }

                @Override
                public void discard() {
                    discarded.incrementAndGet();
                }
            };
        }).start();
        assertThat(making.await(5, TimeUnit.SECONDS)).isTrue();

        // When the supervisor is stopped before the worker exists, and the worker is then made
        Thread stopper = new Thread(() -> supervisor.stop(5_000));
        stopper.start();
        Thread.sleep(100);
        stopped.countDown();
        stopper.join(10_000);

        // Then the worker never ran, and was discarded: its clients closed
        assertThat(ran).hasValue(0);
        assertThat(discarded).hasValue(1);
    }
}
