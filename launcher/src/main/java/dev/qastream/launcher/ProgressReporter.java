package dev.qastream.launcher;

import dev.qastream.runtime.Service;
import dev.qastream.runtime.kafka.ConsumerLag;

import java.io.PrintStream;
import java.util.Map;

/**
 * While `up` runs: one line every interval in which something moved, with what was done since start
 * and how much work is still queued (records not yet processed, all stages together).
 */
final class ProgressReporter implements Runnable {
    private final Stack stack;
    private final long intervalMs;
    private final PrintStream out;

    ProgressReporter(Stack stack, long intervalMs, PrintStream out) {
        this.stack = stack;
        this.intervalMs = intervalMs;
        this.out = out;
    }

    static Thread start(Stack stack, long intervalMs) {
        Thread t = new Thread(new ProgressReporter(stack, intervalMs, System.out), "progress");
        t.setDaemon(true);
        t.start();
        // Its admin client must be closed before the broker stops, or it warns about a broker that went away.
        stack.beforeClose(() -> {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return t;
    }

    @Override
    public void run() {
        Counts last = null;
        long lastQueued = 0;
        try (ConsumerLag lag = new ConsumerLag(stack.context().kafka())) {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(intervalMs);
                Counts now = Counts.of(stack);
                long queued = queued(lag);
                if (!now.equals(last) || queued != lastQueued) {
                    out.printf("progress: %.0f documents, %.0f chunks, %.0f errors | %.0f pairs generated, %.0f accepted, "
                                    + "%.0f rejected, %.0f dead-lettered | dataset %d pairs | %d records queued%n",
                            now.documents(), now.chunks(), now.ingestErrors(), now.pairs(), now.accepted(),
                            now.rejected(), now.deadLetters(), now.dataset(), queued);
                    last = now;
                    lastQueued = queued;
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            // the stack is going down; progress lines are not worth an error
        }
    }

    private long queued(ConsumerLag lag) {
        long total = 0;
        for (Service s : stack.services()) {
            for (Map.Entry<String, java.util.List<String>> g : s.consumerGroups().entrySet()) {
                total += lag.lag(g.getKey(), g.getValue());
            }
            total += s.inFlight(); // committed, not yet written (pairs waiting for their scoring batch)
        }
        return total;
    }
}
