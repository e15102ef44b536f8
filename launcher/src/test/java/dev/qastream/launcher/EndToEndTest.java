package dev.qastream.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qastream.ingest.ScanReport;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.Partitions;
import dev.qastream.runtime.kafka.TopicSnapshot;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.DocumentCoverage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline on the embedded platform: a real KRaft broker, the real registry process,
 * all four services. Three documents dropped into the inbox must come out as dataset records.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every parameter of the fixtures with its documented default. */
    private static final Map<String, String> DEFAULTS = Map.of(
            "EUtranCellFDD.ulPowerBoostEnabled", "false",
            "EUtranCellFDD.ulPowerBoostRsrpThreshold", "-110",
            "EUtranCellFDD.ulPowerBoostMaxOffset", "3",
            "NRCellDU.pagingLoadLimit", "16",
            "NRCellDU.pagingDeferralEnabled", "true",
            "EUtranCellTDD.defaultPagingCycle", "128",
            "EUtranCellTDD.nB", "oneT");

    @TempDir
    Path dir;

    @Test
    void droppedDocumentsBecomeScoredDatasetRecords() throws Exception {
        // Given three feature documents in the inbox, one in a sub-folder
        Path inbox = dir.resolve("inbox");
        E2eFixtures.copyTo(inbox);
        Config config = Config.load(null).with(Map.of(
                "data-dir", dir.resolve("data").toString(),
                "inbox", inbox.toString(),
                "out", dir.resolve("out").toString(),
                "http.port", "0",
                "ingest.settle-ms", "200"));

        List<JsonNode> firstRun;
        try (Stack stack = Stack.start(config)) {
            // When the inbox is processed and every stage has drained
            ScanReport scan = stack.ingest().scanUntilSettled();
            assertThat(scan.ingested()).isEqualTo(3);
            assertThat(scan.errors()).isZero();
            assertThat(Drain.await(stack, Duration.ofMinutes(3), s -> { })).isNull();

            // Then the dataset file holds, for each parameter, a pair stating its exact default
            firstRun = readDataset(dir.resolve("out/dataset.jsonl"));
            DEFAULTS.forEach((param, value) -> assertThat(firstRun)
                    .as("a pair about the default of %s", param)
                    .anySatisfy(line -> {
                        assertThat(question(line)).contains(param).containsIgnoringCase("default");
                        assertThat(answer(line)).contains(param).contains(value);
                    }));
            // and each record is a chat conversation with the metadata of the design
            assertThat(firstRun).allSatisfy(line -> {
                assertThat(line.get("messages")).hasSize(3);
                assertThat(line.get("messages").get(0).get("role").asText()).isEqualTo("system");
                JsonNode meta = line.get("metadata");
                assertThat(meta.get("quality_score").asDouble()).isGreaterThanOrEqualTo(0.75);
                assertThat(meta.get("source_document").asText()).endsWith(".md");
                assertThat(meta.get("tier").asText()).isIn(Topics.TIERS);
                assertThat(meta.get("prompt_version").asText()).isNotBlank();
                assertThat(meta.get("tier_classification").has("tier1_exact_params")).isTrue();
            });
            assertThat(firstRun).anySatisfy(line -> assertThat(line.get("metadata").get("source_document").asText())
                    .isEqualTo("lte/uplink_power_boost.md"));
            assertThat(firstRun).anySatisfy(line -> assertThat(line.get("metadata").get("feature_name").asText())
                    .isEqualTo("Paging Load Control"));

            // and a raw dataset record has the Confluent framing with an id the registry resolves
            byte[] raw = firstRawValue(stack);
            assertThat(raw[0]).isEqualTo((byte) 0);
            int id = ByteBuffer.wrap(raw, 1, 4).getInt();
            String ccompat = stack.context().registryApiUrl().replace("/apis/registry/v3", "/apis/ccompat/v7");
            HttpResponse<String> schema = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(ccompat + "/schemas/ids/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(schema.statusCode()).isEqualTo(200);
            assertThat(schema.body()).contains("DatasetRecord");

            // and the registry enforces BACKWARD compatibility: a new required field without default is refused
            String incompatible = JSON.writeValueAsString(Map.of("schema", JSON.writeValueAsString(Map.of(
                    "type", "record", "name", "DatasetRecord", "namespace", "dev.qastream.schemas",
                    "fields", List.of(Map.of("name", "mustHave", "type", "string"))))));
            HttpResponse<String> check = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(ccompat + "/compatibility/subjects/" + Topics.DATASET_PAIRS + "-value/versions/latest"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString(incompatible)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(check.body()).contains("\"is_compatible\":false");

            // and the chunk table of scoring is restored from ingest.chunks, with no second copy in a changelog
            try (Admin admin = Admin.create(stack.context().kafka().admin())) {
                assertThat(admin.listTopics().names().get()).noneMatch(t -> t.contains("chunks-by-id"));
            }
            // and the dataset topic holds the accepted pairs and no removals of keys that never held one (a pair
            // that leaves, demoted by a better pair of its fact, held one)
            java.util.Set<String> held = new java.util.HashSet<>();
            List<String> removedNeverHeld = new java.util.ArrayList<>();
            for (var r : TopicSnapshot.records(stack.context().kafka(), stack.context().topics().dataset)) {
                if (r.value() != null) {
                    held.add(r.key());
                } else if (!held.contains(r.key())) {
                    removedNeverHeld.add(r.key());
                }
            }
            assertThat(removedNeverHeld).isEmpty();

            // and coverage counts every document's facts, the accepted pairs cover some, and each gap says why
            Map<String, DocumentCoverage> coverage = TopicSnapshot.latest(stack.context().kafka(), stack.context().topics().coverage);
            assertThat(coverage).containsOnlyKeys("lte/uplink_power_boost.md", "paging_load_control.md", "idle_mode_drx.md");
            assertThat(coverage.values()).allSatisfy(c -> {
                assertThat(c.getFacts()).isPositive();
                assertThat(c.getCovered()).isPositive().isLessThanOrEqualTo(c.getFacts());
                assertThat(c.getUncovered()).hasSize(c.getFacts() - c.getCovered());
            });
            assertThat(TopicSnapshot.latest(stack.context().kafka(), stack.context().topics().facts).keySet())
                    .contains("lte/uplink_power_boost.md#0|feature.purpose|Uplink Power Boost for Cell Edge");
            java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
            java.io.PrintStream stdout = System.out;
            System.setOut(new java.io.PrintStream(printed, true));
            try {
                Main.commandLine().execute("coverage", "--data-dir", dir.resolve("data").toString(), "--document", "lte/*.md");
            } finally {
                System.setOut(stdout);
            }
            assertThat(printed.toString()).contains("lte/uplink_power_boost.md", "parameter.default")
                    .doesNotContain("paging_load_control.md");
        }

        // When the same inbox is processed again after a restart
        try (Stack stack = Stack.start(config)) {
            ScanReport again = stack.ingest().scanUntilSettled();
            assertThat(Drain.await(stack, Duration.ofMinutes(2), s -> { })).isNull();

            // Then nothing is re-sent and the dataset is the same
            assertThat(again.ingested()).isZero();
            assertThat(again.unchanged()).isEqualTo(3);
            assertThat(again.chunksSent()).isZero();
            assertThat(readDataset(dir.resolve("out/dataset.jsonl"))).isEqualTo(firstRun);

            // When a document is deleted from the inbox
            Files.delete(inbox.resolve("paging_load_control.md"));
            assertThat(stack.ingest().scanUntilSettled().deleted()).isEqualTo(1);
            assertThat(Drain.await(stack, Duration.ofMinutes(2), s -> { })).isNull();

            // Then its pairs leave the dataset and the others stay
            List<JsonNode> afterDelete = readDataset(dir.resolve("out/dataset.jsonl"));
            assertThat(afterDelete).noneSatisfy(line -> assertThat(line.get("metadata").get("source_document").asText())
                    .isEqualTo("paging_load_control.md"));
            assertThat(TopicSnapshot.latest(stack.context().kafka(), stack.context().topics().coverage))
                    .containsOnlyKeys("lte/uplink_power_boost.md", "idle_mode_drx.md");
            assertThat(TopicSnapshot.latest(stack.context().kafka(), stack.context().topics().facts).keySet())
                    .noneMatch(id -> id.startsWith("paging_load_control.md#"));
            assertThat(afterDelete).hasSize((int) firstRun.stream().filter(line -> !line.get("metadata")
                    .get("source_document").asText().equals("paging_load_control.md")).count());
        }
    }

    private static String question(JsonNode line) {
        return line.get("messages").get(1).get("content").asText();
    }

    private static String answer(JsonNode line) {
        return line.get("messages").get(2).get("content").asText();
    }

    private static List<JsonNode> readDataset(Path file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            lines.add(JSON.readTree(l));
        }
        return lines;
    }

    private static byte[] firstRawValue(Stack stack) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(stack.context().kafka().rawConsumer(null))) {
            Partitions.assignAll(consumer, Topics.DATASET_PAIRS, true);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        return r.value();
                    }
                }
            }
        }
        throw new AssertionError("no record in " + Topics.DATASET_PAIRS);
    }

}
