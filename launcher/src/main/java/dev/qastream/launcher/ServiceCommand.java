package dev.qastream.launcher;

import dev.qastream.generation.GenerationService;
import dev.qastream.ingest.IngestService;
import dev.qastream.runtime.Endpoints;
import dev.qastream.runtime.Service;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.ServiceMain;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.platform.DataDirLock;
import dev.qastream.scoring.ScoringService;
import dev.qastream.scoring.coverage.CoverageService;
import dev.qastream.scoring.judge.JudgeService;
import dev.qastream.sink.SinkService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/** One stage as its own process, against `./pipeline platform` or a configured cluster. */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = {"Run one stage in this process until Ctrl-C, against the embedded platform of the data "
                + "directory (./pipeline platform) or the configured cluster.",
                "Start a stage twice to scale it (consumer groups share the work); stop or restart one alone.",
                "Each process keeps its stream state in DATA/services/NAME-N (the first N not in use) and serves "
                        + "/metrics and /health on http.host (default 127.0.0.1), port http.port (taken or 0: a free "
                        + "one, printed)."})
final class ServiceCommand implements Callable<Integer> {
    enum Name { ingest, generation, scoring, judge, coverage, sink }

    @Parameters(index = "0", paramLabel = "NAME", description = "ingest, generation, scoring, judge (the model calls "
            + "of scoring's optional judge: run it beside scoring when scoring.judge.enabled is set), coverage (facts covered "
            + "per document, follow-ups for the gaps) or sink")
    Name name;

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        Config config = options.load();
        Endpoints endpoints = Endpoints.resolve(config);
        try (Instance instance = Instance.claim(config.path("data-dir"), name.name())) {
            Config kafkaConfig = config.with("data-dir", instance.dir().toString());
            CountDownLatch stopped = new CountDownLatch(1);
            String host = config.string("http.host");
            ServiceMain.Running running = ServiceMain.start(config, kafkaConfig, endpoints, host, factory(name));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running.close();
                stopped.countDown();
            }, "service-stop"));
            System.out.printf("%s running (instance %s) against kafka %s; metrics: http://%s:%d/metrics  "
                            + "health: http://%s:%d/health  (Ctrl-C stops)%n", name, instance.dir().getFileName(),
                    endpoints.bootstrapServers(), host, running.http().port(), host, running.http().port());
            stopped.await();
        }
        return 0;
    }

    static Function<ServiceContext, Service> factory(Name name) {
        return switch (name) {
            case ingest -> IngestService::new;
            case generation -> GenerationService::new;
            case scoring -> ScoringService::new;
            case judge -> JudgeService::new;
            case coverage -> CoverageService::new;
            case sink -> SinkService::new;
        };
    }

    /** A state folder of this process's own, locked while it runs. */
    record Instance(Path dir, DataDirLock lock) implements AutoCloseable {
        static Instance claim(Path dataDir, String service) {
            for (int n = 1; ; n++) {
                Path dir = dataDir.resolve("services").resolve(service + "-" + n);
                if (DataDirLock.holder(dir).isPresent()) {
                    continue;
                }
                try {
                    return new Instance(dir, DataDirLock.acquire(dir));
                } catch (IllegalStateException takenMeanwhile) {
                    // another process claimed it between the probe and the lock: try the next
                }
            }
        }

        @Override
        public void close() {
            lock.close();
        }
    }
}
