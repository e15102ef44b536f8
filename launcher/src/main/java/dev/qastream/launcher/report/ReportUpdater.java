package dev.qastream.launcher.report;

import dev.qastream.runtime.Service;
import dev.qastream.runtime.ServiceContext;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Keeps {@code out/report.html} and {@code out/report.json} current while the pipeline runs: follows the
 * topics as they grow and rewrites the report at most once per interval, only when something arrived.
 */
public final class ReportUpdater implements Service {
    private static final Logger log = LoggerFactory.getLogger(ReportUpdater.class);

    private final ServiceContext ctx;
    private final Path outDir;
    private final long intervalMs;
    private volatile ReportReader reader;
    private volatile boolean running;
    private volatile long writes;
    private Thread thread;

    public ReportUpdater(ServiceContext ctx, Path outDir, Duration interval) {
        this.ctx = ctx;
        this.outDir = outDir;
        this.intervalMs = interval.toMillis();
    }

    @Override
    public String name() {
        return "report";
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "report-updater");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try (ReportReader r = new ReportReader(ctx)) {
            reader = r;
            boolean dirty = true; // write once at start, so the files exist from the beginning
            long lastWrite = 0;
            while (running) {
                dirty |= r.poll(Duration.ofMillis(500)) > 0;
                long now = System.currentTimeMillis();
                if (dirty && now - lastWrite >= intervalMs) {
                    try {
                        ReportFiles.write(r.state().report(now), outDir);
                        writes++;
                    } catch (java.io.IOException e) {
                        log.warn("report: cannot write to {}: {}", outDir, e.getMessage());
                    }
                    dirty = false;
                    lastWrite = now;
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            if (running) {
                log.error("report updater stopped", e);
            }
        }
    }

    /** How many times the report was written; for tests and status. */
    public long writes() {
        return writes;
    }

    @Override
    public boolean healthy() {
        return thread != null && thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        ReportReader r = reader;
        if (r != null) {
            r.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
