package dev.qastream.generation;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.schemas.QaPair;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.qastream.generation.WorkerHarness.awaitDrained;
import static dev.qastream.generation.WorkerHarness.awaitTrue;
import static dev.qastream.generation.WorkerHarness.chunk;
import static dev.qastream.generation.WorkerHarness.pairs;
import static dev.qastream.generation.WorkerHarness.request;
import static dev.qastream.generation.WorkerHarness.send;
import static org.assertj.core.api.Assertions.assertThat;

/** A worker process killed with SIGKILL mid-run and started again: nothing lost, nothing twice. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WorkerCrashTest extends WorkerPlatformTest {
    private static final int CHUNKS = 60;

    @Test
    void aWorkerKilledMidRunAndRestartedWritesEveryChunksPairsExactlyOnce() throws Exception {
        // Given 60 requests on the fast tier and a generation service process with a 300 ms model
        ServiceContext ctx = h.ctx(Map.of());
        h.clearRequests(ctx);
        for (int i = 0; i < CHUNKS; i++) {
            send(ctx, request("fast", chunk("crash.md#" + i, "crash-" + i), i));
        }
        Process first = startService("first");
        Process second = null;
        try {
            // When it is killed with SIGKILL once some results are committed
            awaitTrue(Duration.ofSeconds(90), "first results committed", () -> committedPairs(ctx) >= 20);
            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            int before = committedPairs(ctx);
            assertThat(before).as("killed mid-run").isLessThan(2 * CHUNKS);

            // and started again
            second = startService("second");
            awaitDrained(ctx, Duration.ofSeconds(120), Map.of("fast", GenerationService.groupId("fast")));
            // (an open transaction of the killed process holds read_committed readers until the broker aborts it)
            awaitTrue(Duration.ofSeconds(60), "all pairs readable", () -> committedPairs(ctx) >= 2 * CHUNKS);
        } finally {
            first.destroyForcibly();
            if (second != null) {
                second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        // Then every chunk's two pairs are in the committed output exactly once
        Map<String, Long> writes = pairs(ctx, "crash.md#").stream().filter(r -> !r.value().getRemoved())
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(writes).hasSize(2 * CHUNKS);
        assertThat(writes.values()).allSatisfy(n -> assertThat(n).isEqualTo(1L));
        assertThat(WorkerHarness.deadLetters(ctx, "crash")).isEmpty();
    }

    private static int committedPairs(ServiceContext ctx) {
        List<ConsumerRecord<String, QaPair>> records = pairs(ctx, "crash.md#");
        return (int) records.stream().filter(r -> !r.value().getRemoved()).count();
    }

    private static Process startService(String name) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), SlowGenerationMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command);
        String registry = h.platform.registryApiUrl().replaceAll("/apis/registry/v3/?$", "");
        Map<String, String> env = pb.environment();
        env.put("QASTREAM_KAFKA_BOOTSTRAP_SERVERS", h.platform.bootstrapServers());
        env.put("QASTREAM_REGISTRY_URL", registry);
        env.put("QASTREAM_HTTP_PORT", "0");
        env.put("QASTREAM_DATA_DIR", dir.resolve("service-" + name).toString());
        env.put("QASTREAM_GENERATION_MAX_PAIRS_PER_CHUNK", "4");
        // A short transaction timeout: the killed process's open transaction is aborted quickly. (Its partitions
        // move to the restarted one when the broker's consumer group session timeout, 45 s, has passed.)
        env.put("QASTREAM_GENERATION_TRANSACTION_TIMEOUT_MS", "5000");
        env.put("QASTREAM_GENERATION_MAX_POLL_INTERVAL_MS", "15000");
        env.put("SLOW_GENERATOR_MS", "300");
        // Kept under target/ for reading after a failure.
        Path log = Path.of("target", "crash-test-logs", "service-" + name + ".log");
        Files.createDirectories(log.getParent());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }
}
