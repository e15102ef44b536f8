package dev.qastream.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qastream.runtime.Endpoints;
import dev.qastream.runtime.config.Config;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operating commands against one running stack (real broker, registry process, four services) that has
 * processed the end-to-end fixtures: Kafka's console consumer with our formatter, status, doctor, topics create.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class OperateStackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static Config config;
    private static Stack stack;
    private static Counts counts;

    @BeforeAll
    static void processTheFixtures() throws Exception {
        dir = Files.createTempDirectory("qastream-operate");
        Path inbox = dir.resolve("inbox");
        E2eFixtures.copyTo(inbox);
        // One generation pass per chunk (no coverage follow-ups), and no limit of pairs per fact: the counts
        // compared below are of that pass, and the stage's meters count records written, which a pair demoted
        // by a later, better one of its fact (a second record) would make differ from the topics' pairs.
        config = Config.load(null).with(Map.of(
                "data-dir", dir.resolve("data").toString(),
                "inbox", inbox.toString(),
                "out", dir.resolve("out").toString(),
                "http.port", "0",
                "ingest.settle-ms", "200",
                "coverage.max-rounds", "0",
                "coverage.pairs-per-fact", "0"));
        stack = Stack.start(config);
        stack.ingest().scanUntilSettled();
        assertThat(Drain.await(stack, Duration.ofMinutes(2), s -> { })).isNull();
        counts = Counts.of(stack);
        assertThat(counts.accepted()).isPositive();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void kafkasConsoleConsumerPrintsScoredPairsAsJsonLines() throws Exception {
        Endpoints endpoints = Endpoints.resolve(config);
        int n = 5;
        // When Kafka's own console consumer reads scoring.scored with the formatter, compact
        List<String> compact = consoleConsumer(endpoints, n, "compact=true");
        // Then each record is one JSON line with the pair's verdict, question and answer
        assertThat(compact).hasSize(n);
        for (String line : compact) {
            JsonNode json = JSON.readTree(line);
            assertThat(json.get("key").asText()).contains("#");
            if (json.has("value")) {
                assertThat(json.get("value").isNull()).as("only tombstones have a value field in compact form").isTrue();
                continue;
            }
            if (json.path("removed").asBoolean(false)) {
                // a versioned removal of a slot (chunk regenerated with fewer pairs): no question or answer
                assertThat(json.get("revision").asLong()).isNotNegative();
                continue;
            }
            assertThat(json.get("accepted").isBoolean()).isTrue();
            assertThat(json.get("overall").isNumber()).isTrue();
            assertThat(json.get("question").asText()).isNotBlank();
            assertThat(json.get("answer").asText()).isNotBlank();
            assertThat(json.get("tier").asText()).isIn("fast", "balanced", "quality");
        }

        // and in full form the whole record, nested pair included, with the timestamp
        List<String> full = consoleConsumer(endpoints, n, "print.timestamp=true");
        assertThat(full).hasSize(n).allSatisfy(line -> {
            JsonNode json = JSON.readTree(line);
            assertThat(json.get("timestamp").asLong()).isPositive();
            if (!json.get("value").isNull()) {
                assertThat(json.get("value").get("pair").get("pairKey").asText()).isEqualTo(json.get("key").asText());
                assertThat(json.get("value").get("terms").has("tier1ExactParams")).isTrue();
            }
        });
    }

    @Test
    void statusOncePrintsTheCountsOfTheRunningStack() {
        // When status runs once against the data directory of the running stack
        Result r = pipeline("status", "--once", "--data-dir", config.path("data-dir").toString());

        // Then it prints one screen with the counts the stack has and nothing left to do
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("embedded stack");
        assertThat(line(r.out, "pairs scored")).contains(" " + (long) (counts.accepted() + counts.rejected()) + " ")
                .contains("100%");
        assertThat(line(r.out, "accepted")).contains(" " + (long) counts.accepted() + " ");
        assertThat(line(r.out, "dataset")).contains(" " + counts.dataset() + " ");
        assertThat(line(r.out, "lag")).contains("qastream-scoring 0", "qastream-router 0");
        assertThat(line(r.out, "ETA")).contains("done");
        assertThat(line(r.out, "tokens/s")).contains("-");
        assertThat(line(r.out, "dead letters")).contains("dead letters 0");
        assertThat(line(r.out, "set aside")).contains("router.dlq 0 | scoring.dlq 0 | sink.dlq 0");
    }

    @Test
    void doctorPassesOnTheRunningStackWithBuiltinTiers() throws IOException {
        Path yaml = configFile("""
                tiers:
                  fast: {backend: builtin}
                  balanced: {backend: builtin}
                  quality: {backend: builtin}
                """);
        Result r = pipeline("doctor", "--config", yaml.toString(), "--data-dir", config.path("data-dir").toString(),
                "--inbox", config.path("inbox").toString());
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("ok   kafka", "ok   registry", "ok   topics", "ok   tier fast", "ok   inbox")
                .contains("embedded stack running", "ok   removals").doesNotContain("FAIL");
    }

    @Test
    void doctorFailsWhenAStageIsBehindLongerThanRemovalsAreKept() throws Exception {
        // Given a stage whose next record on a compacted topic was written 8 days ago (removals are kept 7)
        String group = "qastream-stalled-stage";
        String bootstrap = Endpoints.resolve(config).bootstrapServers();
        TopicPartition facts = new TopicPartition(dev.qastream.runtime.kafka.Topics.COVERAGE_FACTS, 0);
        long eightDaysAgo = System.currentTimeMillis() - Duration.ofDays(8).toMillis();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long offset = producer.send(new ProducerRecord<>(facts.topic(), facts.partition(), eightDaysAgo,
                    "doc.md#0|parameter.default|Old.fact".getBytes(StandardCharsets.UTF_8), (byte[]) null)).get().offset();
            admin.alterConsumerGroupOffsets(group, Map.of(facts, new OffsetAndMetadata(offset))).all().get();
            try {
                Path yaml = configFile("tiers:\n  fast: {backend: builtin}\n  balanced: {backend: builtin}\n  quality: {backend: builtin}\n");
                Result r = pipeline("doctor", "--config", yaml.toString(), "--data-dir", config.path("data-dir").toString(),
                        "--inbox", config.path("inbox").toString());

                // Then doctor fails, naming the stage, the partition, how old and the setting
                assertThat(r.exit).as(r.out).isEqualTo(1);
                assertThat(r.out).contains("FAIL removals", group + " on " + facts, "192 h ago", "kafka.delete-retention-hours");
            } finally {
                admin.deleteConsumerGroups(List.of(group)).all().get();
            }
        }
    }

    @Test
    void doctorFailsClearlyWhenATiersServerIsMissing() throws IOException {
        // Given the fast tier on Ollama at a port where nothing listens
        int closed = closedPort();
        Path yaml = configFile("tiers:\n  fast: {backend: ollama, base-url: \"http://127.0.0.1:" + closed + "\"}\n");
        Result r = pipeline("doctor", "--config", yaml.toString(), "--data-dir", config.path("data-dir").toString());
        // Then that tier fails with what to do, and the exit code says so
        assertThat(r.exit).as(r.out).isEqualTo(1);
        assertThat(r.out).contains("FAIL tier fast", "no Ollama at", "127.0.0.1:" + closed, "ollama serve");
    }

    @Test
    void doctorFailsClearlyWhenTheRegistryIsDown() throws IOException {
        // Given the live broker but a registry URL where nothing answers
        int closed = closedPort();
        Path yaml = configFile("kafka:\n  bootstrap-servers: " + Endpoints.resolve(config).bootstrapServers()
                + "\nregistry:\n  url: http://127.0.0.1:" + closed + "\ntiers:\n  fast: {backend: builtin}\n");
        Result r = pipeline("doctor", "--config", yaml.toString(), "--data-dir", dir.resolve("cluster-state").toString());
        assertThat(r.exit).as(r.out).isEqualTo(1);
        assertThat(r.out).contains("ok   kafka", "FAIL registry", "start the registry or fix registry.url");
    }

    @Test
    void topicsCreateIsIdempotent() {
        Result r = pipeline("topics", "create", "--data-dir", config.path("data-dir").toString());
        assertThat(r.exit).as(r.out).isZero();
        assertThat(r.out).contains("exists   scoring.scored", "exists   scoring.dlq", "0 created, "
                + dev.qastream.runtime.kafka.Topics.withPlainAvro().all().size() + " already there");
    }

    private static List<String> consoleConsumer(Endpoints endpoints, int n, String property) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.consumer.ConsoleConsumer",
                "--bootstrap-server", endpoints.bootstrapServers(), "--topic", "scoring.scored", "--from-beginning",
                "--isolation-level", "read_committed", "--max-messages", String.valueOf(n), "--timeout-ms", "30000",
                "--formatter", "dev.qastream.runtime.tools.AvroJsonFormatter",
                "--formatter-property", "registry.url=" + endpoints.registryApiUrl(),
                "--formatter-property", property));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().filter(l -> l.startsWith("{")).toList();
    }

    private record Result(int exit, String out) {
    }

    /** Runs a ./pipeline command in this process, capturing what it prints. */
    private static synchronized Result pipeline(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.commandLine().execute(args);
            return new Result(exit, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    private static String line(String out, String start) {
        return out.lines().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + start + "' in:\n" + out));
    }

    private static Path configFile(String yaml) throws IOException {
        Path f = Files.createTempFile(dir, "config", ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

}
