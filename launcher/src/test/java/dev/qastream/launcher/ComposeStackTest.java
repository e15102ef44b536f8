package dev.qastream.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docker-compose.yml stack for real: Kafka, the registry and the four services built from this repository,
 * each in its own container. Runs where Docker is available and is skipped (not failed) where it is not.
 * Generation uses the built-in extractive backend, so no model has to be pulled.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(value = 25, unit = TimeUnit.MINUTES)
class ComposeStackTest {
    private static final List<String> STAGES = List.of("ingest", "generation", "scoring", "sink");

    @TempDir
    Path dir;

    @Test
    void aDocumentDroppedIntoTheComposeStackReachesTheDataset() throws Exception {
        // Given host folders for the inbox and the output, writable by the containers' user
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Path out = Files.createDirectories(dir.resolve("out"));
        for (Path p : List.of(dir, inbox, out)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        ComposeContainer compose = new ComposeContainer(new File(ComposeFileTest.ROOT.resolve("docker-compose.yml").toString()))
                .withBuild(true)
                .withEnv(Map.of("QASTREAM_INBOX_DIR", inbox.toString(), "QASTREAM_OUT_DIR", out.toString(),
                        "QASTREAM_BACKEND", "builtin"))
                .withServices("kafka", "registry-volume", "registry", "ingest", "generation", "scoring", "sink");
        for (String stage : STAGES) {
            compose = compose.withExposedService(stage, 9400,
                    Wait.forHttp("/health").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(15)));
        }
        try (ComposeContainer stack = compose) {
            // When the stack is up and a feature document is dropped into the inbox
            stack.start();
            Files.copy(Path.of("src/test/resources/e2e/inbox/paging_load_control.md"), inbox.resolve("paging_load_control.md"));

            // Then accepted pairs appear in the dataset file the sink container writes
            Path dataset = out.resolve("dataset.jsonl");
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (System.nanoTime() < deadline && (!Files.exists(dataset) || Files.readAllLines(dataset).isEmpty())) {
                Thread.sleep(1_000);
            }
            assertThat(dataset).exists();
            assertThat(Files.readAllLines(dataset)).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).contains("\"source_document\":\"paging_load_control.md\""));

            // and every service serves its metrics, the sink's counting the dataset
            HttpClient http = HttpClient.newHttpClient();
            for (String stage : STAGES) {
                URI metrics = URI.create("http://" + stack.getServiceHost(stage, 9400) + ":"
                        + stack.getServicePort(stage, 9400) + "/metrics");
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(stage).isEqualTo(200);
                assertThat(r.body()).as(stage).contains("qastream_");
            }
        }
    }
}
