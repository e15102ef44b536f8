package dev.qastream.launcher;

import dev.qastream.generation.GenerationService;
import dev.qastream.ingest.IngestService;
import dev.qastream.launcher.status.Snapshot;
import dev.qastream.launcher.status.StatusProbe;
import dev.qastream.runtime.Endpoints;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.ServiceMain;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.KafkaSettings;
import dev.qastream.runtime.platform.EmbeddedPlatform;
import dev.qastream.sink.SinkService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stages as separate processes on one machine: the platform as `./pipeline platform` runs it, ingest, generation
 * and sink in this JVM, and scoring as child `java` processes (`./pipeline service scoring`), stopped while work
 * arrives and restarted twice over (scaled), with every pair scored in the end.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServiceProcessTest {
    private static Path dir;
    private static Config config;
    private static EmbeddedPlatform platform;
    private static final List<ServiceMain.Running> inProcess = new ArrayList<>();
    private static final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void startPlatformAndTheOtherStages() throws Exception {
        dir = Files.createTempDirectory("qastream-services");
        Files.createDirectories(dir.resolve("inbox"));
        config = Config.load(null).with(Map.of(
                "data-dir", dir.resolve("data").toString(),
                "inbox", dir.resolve("inbox").toString(),
                "out", dir.resolve("out").toString(),
                "http.port", "0",
                "ingest.settle-ms", "200"));
        platform = PlatformCommand.start(config);
        Endpoints endpoints = Endpoints.resolve(config);
        for (var factory : List.of(ServiceCommand.factory(ServiceCommand.Name.sink),
                ServiceCommand.factory(ServiceCommand.Name.generation), ServiceCommand.factory(ServiceCommand.Name.ingest))) {
            Config own = config.with("data-dir", dir.resolve("inproc-" + inProcess.size()).toString());
            inProcess.add(ServiceMain.start(config, own, endpoints, "127.0.0.1", factory));
        }
    }

    @AfterAll
    static void stopAll() {
        children.forEach(ServiceProcessTest::stop);
        for (int i = inProcess.size() - 1; i >= 0; i--) {
            inProcess.get(i).close();
        }
        if (platform != null) {
            PlatformCommand.stop(platform, config);
        }
    }

    @Test
    void scoringInItsOwnProcessStopsRestartsScalesAndLosesNothing() throws Exception {
        try (StatusProbe probe = probe()) {
            // Given scoring running in its own process, and a first document
            Child first = startScoring();
            assertThat(first.output()).anyMatch(l -> l.contains("scoring running (instance scoring-1)"));
            copyFixture("idle_mode_drx.md");
            Snapshot s = await(probe, x -> x.pairs() > 0 && x.scored() == x.pairs() && lag(x, "qastream-scoring") == 0);
            long firstPairs = s.pairs();

            // When scoring stops and two more documents arrive meanwhile
            stop(first.process());
            copyFixture("paging_load_control.md");
            copyFixture("lte/uplink_power_boost.md");
            s = await(probe, x -> x.pairs() > firstPairs && lag(x, "qastream-router") == 0
                    && x.lag().entrySet().stream().filter(e -> e.getKey().startsWith("qastream-generation-"))
                    .allMatch(e -> e.getValue() == 0));
            // Then their pairs wait, unscored
            assertThat(s.scored()).isEqualTo(firstPairs);
            assertThat(lag(s, "qastream-scoring")).isPositive();

            // When scoring restarts as two processes (scaled)
            Child second = startScoring();
            Child third = startScoring();
            assertThat(second.output()).anyMatch(l -> l.contains("(instance scoring-1)"));
            assertThat(third.output()).anyMatch(l -> l.contains("(instance scoring-2)"));

            // Then every pair is scored once more, none lost, and the sink has caught up
            Snapshot done = await(probe, x -> x.scored() == x.pairs() && lag(x, "qastream-scoring") == 0
                    && lag(x, "qastream-sink") == 0);
            assertThat(done.pairs()).isGreaterThan(firstPairs);
            assertThat(done.dataset()).isEqualTo(done.accepted());
        }
    }

    private static long lag(Snapshot s, String group) {
        return s.lag().getOrDefault(group, Long.MAX_VALUE);
    }

    private static StatusProbe probe() {
        Endpoints endpoints = Endpoints.resolve(config);
        ServiceContext ctx = ServiceContext.create(config, new KafkaSettings(endpoints.bootstrapServers(), config),
                endpoints.registryApiUrl(), new SimpleMeterRegistry());
        return new StatusProbe(ctx, "test", List.of());
    }

    private static Snapshot await(StatusProbe probe, Predicate<Snapshot> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        Snapshot s = probe.snapshot();
        while (!done.test(s)) {
            assertThat(System.currentTimeMillis()).as("waiting; last: %s", s).isLessThan(deadline);
            Thread.sleep(300);
            s = probe.snapshot();
        }
        return s;
    }

    private record Child(Process process, List<String> output) {
    }

    /** `./pipeline service scoring` as a child JVM; returns once it says it is running. */
    private static Child startScoring() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "service", "scoring",
                "--data-dir", config.path("data-dir").toString(), "--out", config.path("out").toString())
                .redirectErrorStream(true);
        pb.environment().put("QASTREAM_HTTP_PORT", "0");
        Process p = pb.start();
        children.add(p);
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                }
            } catch (IOException ended) {
                // process gone
            }
        });
        long deadline = System.currentTimeMillis() + 90_000;
        while (lines.stream().noneMatch(l -> l.contains("scoring running"))) {
            assertThat(p.isAlive()).as("scoring process exited: %s", lines).isTrue();
            assertThat(System.currentTimeMillis()).as("scoring did not start: %s", lines).isLessThan(deadline);
            Thread.sleep(100);
        }
        return new Child(p, lines);
    }

    /** SIGTERM, as Ctrl-C would: the service closes cleanly in its shutdown hook. */
    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copyFixture(String name) throws IOException {
        Path target = config.path("inbox").resolve(name);
        Files.createDirectories(target.getParent());
        Files.copy(Path.of("src/test/resources/e2e/inbox").resolve(name), target);
    }
}
