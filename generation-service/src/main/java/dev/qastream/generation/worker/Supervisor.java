package dev.qastream.generation.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Runs a worker on its own thread and starts a new one, with exponential backoff (1 s doubling to 60 s,
 * back to 1 s after a run that lasted a minute), whenever it ends without being asked to: a fenced
 * producer, a lost broker, a bug. {@link #healthy()} is false while it is down.
 */
public final class Supervisor {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    /** What the supervisor runs: a Runnable that can be asked to stop and tells whether it is working. */
    public interface Supervised extends Runnable {
        void stop();

        boolean working();

        /** Releases what a worker holds that was made but never run (stopped in between). */
        default void discard() {
        }
    }

    private final String name;
    private final Supplier<? extends Supervised> factory;
    private final Thread thread;
    private volatile Supervised current;
    private volatile boolean running = true;

    public Supervisor(String name, Supplier<? extends Supervised> factory) {
        this.name = name;
        this.factory = factory;
        this.thread = new Thread(this::loop, name);
    }

    public Supervisor start() {
        thread.start();
        return this;
    }

    private void loop() {
        long backoffMs = 1000;
        while (running) {
            long started = System.currentTimeMillis();
            try {
                current = factory.get();
                if (!running) {
                    current.discard(); // stopped while it was being made: its clients must still be closed
                    break;
                }
                current.run();
            } catch (Throwable t) {
                log.error("{} failed", name, t);
            }
            if (!running) {
                break;
            }
            if (System.currentTimeMillis() - started > 60_000) {
                backoffMs = 1000;
            }
            log.warn("{} stopped unexpectedly; restarting in {} ms", name, backoffMs);
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                return;
            }
            backoffMs = Math.min(backoffMs * 2, 60_000);
        }
    }

    public boolean healthy() {
        Supervised w = current;
        return thread.isAlive() && w != null && w.working();
    }

    public void stop(long joinMs) {
        running = false;
        Supervised w = current;
        if (w != null) {
            w.stop();
        }
        try {
            thread.join(joinMs);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(joinMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
