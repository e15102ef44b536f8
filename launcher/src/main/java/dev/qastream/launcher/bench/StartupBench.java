package dev.qastream.launcher.bench;

import dev.qastream.runtime.platform.EmbeddedPlatform;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Start-up of the embedded platform (KRaft broker in this process, registry as a child process), as {@code up}
 * and {@code batch} start it: the first start on an empty data dir in a fresh JVM, then restarts on the same data.
 */
public final class StartupBench {
    private final Path workDir;
    private final int starts;
    private final PrintStream out;

    public StartupBench(Path workDir, int starts, PrintStream out) {
        this.workDir = workDir;
        this.starts = starts;
        this.out = out;
    }

    public void run() throws Exception {
        Path data = workDir.resolve("data");
        IngestBench.deleteTree(workDir);
        List<Double> restarts = new ArrayList<>();
        double first = 0;
        for (int i = 1; i <= starts; i++) {
            long t0 = System.nanoTime();
            try (EmbeddedPlatform platform = EmbeddedPlatform.start(data)) {
                double seconds = (System.nanoTime() - t0) / 1e9;
                out.printf("start %d (%s): %.2f s, broker %s%n", i, i == 1 ? "empty data dir" : "restart",
                        seconds, platform.bootstrapServers());
                if (i == 1) {
                    first = seconds;
                } else {
                    restarts.add(seconds);
                }
            }
        }
        IngestBench.deleteTree(workDir);
        out.printf("first_start_s: %.2f%n", first);
        if (!restarts.isEmpty()) {
            out.printf("restart_s: %.2f%n", IngestBench.median(restarts));
        }
    }
}
