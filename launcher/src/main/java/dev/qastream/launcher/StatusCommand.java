package dev.qastream.launcher;

import dev.qastream.launcher.status.Snapshot;
import dev.qastream.launcher.status.StatusProbe;
import dev.qastream.launcher.status.StatusView;
import dev.qastream.runtime.Endpoints;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;

/** One screen with the state of the pipeline, refreshed until Ctrl-C. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show progress per stage, lag per consumer group, throughput, ETA, tokens per second, "
                + "dead letters and errors; refreshed until Ctrl-C.",
                "Reads the topics and consumer groups of the embedded stack of the data directory or of the configured "
                        + "cluster; figures not available show as '-'."})
final class StatusCommand implements Callable<Integer> {
    /** Rates and the ETA are taken over this window. */
    private static final long RATE_WINDOW_MS = 30_000;

    @Mixin
    ConfigOptions options;

    @Option(names = "--once", description = "print once and exit")
    boolean once;

    @Option(names = "--interval", defaultValue = "PT2S", description = "refresh interval (ISO-8601, default PT2S)")
    Duration interval;

    @Option(names = "--metrics", paramLabel = "URL", description = "a /metrics endpoint to read tokens from; repeatable "
            + "(default: http://127.0.0.1:<http.port>/metrics, where ./pipeline up serves it)")
    List<String> metrics;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        Endpoints endpoints = Endpoints.resolve(config);
        String where = Endpoints.ofCluster(config) != null ? "cluster " + endpoints.bootstrapServers()
                : "embedded stack (" + config.path("data-dir").toAbsolutePath() + ", kafka " + endpoints.bootstrapServers() + ")";
        ServiceContext ctx = ServiceContext.create(config, new KafkaSettings(endpoints.bootstrapServers(), config),
                endpoints.registryApiUrl(), new SimpleMeterRegistry());
        List<String> metricsUrls = metrics != null ? metrics
                : List.of("http://127.0.0.1:" + config.integer("http.port") + "/metrics");
        PrintStream out = System.out;
        boolean terminal = isTerminal();
        Deque<Snapshot> window = new ArrayDeque<>();
        try (StatusProbe probe = new StatusProbe(ctx, where, metricsUrls)) {
            while (true) {
                Snapshot now = probe.snapshot();
                while (!window.isEmpty() && now.atMs() - window.peekFirst().atMs() > RATE_WINDOW_MS) {
                    window.removeFirst();
                }
                List<String> screen = StatusView.render(now, window.peekFirst());
                window.addLast(now);
                if (terminal && !once) {
                    out.print("\033[H\033[2J");
                }
                screen.forEach(out::println);
                out.flush();
                if (once) {
                    return 0;
                }
                if (!terminal) {
                    out.println();
                }
                Thread.sleep(interval.toMillis());
            }
        }
    }

    /** System.console() is not null when redirected on JDK 22+; there isTerminal() tells. */
    private static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException jdk21) {
            return true;
        }
    }
}
