package dev.qastream.launcher;

import dev.qastream.runtime.Endpoints;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.simulator.Fault;
import dev.qastream.simulator.LlmSimulator;
import dev.qastream.simulator.SimulatorConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets and listening addresses, on the real command line: `up` in its own JVM with a model server key and the
 * review token in its environment, one tier on a server that refuses the key and quotes it back (as some do), then
 * `status`, `doctor` and two exports against it. Everything the pipeline wrote is then searched for either secret:
 * every process's output, every record (key, value, headers) of every topic read back as bytes, and every file
 * under the output folder (dataset, quality report, exports and the dataset card). And `up`'s HTTP servers answer on
 * loopback only.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SecurityEndToEndTest {
    private static final String MODEL_KEY = "sk-qastream-test-5f3c9a7e1d42";
    private static final String REVIEW_TOKEN = "rv-qastream-test-8b2e61d4c9a0";
    private static final Pattern METRICS_LINE = Pattern.compile("metrics: http://127\\.0\\.0\\.1:(\\d+)/metrics");
    private static final Pattern REVIEW_LINE = Pattern.compile("review: http://127\\.0\\.0\\.1:(\\d+)/review");

    @TempDir
    Path dir;

    @Test
    void keysAppearNowhereAndTheServersListenOnLoopbackOnly() throws Exception {
        try (LlmSimulator model = LlmSimulator.start(SimulatorConfig.builder().slots(2).build())) {
            // Given the fixtures, every chunk routed to one tier, whose server refuses the first two calls with an
            // error that quotes the key back (those chunks are dead-lettered with the server's reason)
            model.faults().next(Fault.HTTP_401, 2);
            Path inbox = dir.resolve("inbox");
            E2eFixtures.copyTo(inbox);
            Map<String, String> env = new HashMap<>(Map.ofEntries(
                    Map.entry("QASTREAM_DATA_DIR", dir.resolve("data").toString()),
                    Map.entry("QASTREAM_INBOX", inbox.toString()),
                    Map.entry("QASTREAM_OUT", dir.resolve("out").toString()),
                    Map.entry("QASTREAM_HTTP_PORT", "0"),
                    Map.entry("QASTREAM_REVIEW_PORT", "0"),
                    Map.entry("QASTREAM_INGEST_SETTLE_MS", "200"),
                    Map.entry("QASTREAM_REPORT_INTERVAL_S", "1"),
                    Map.entry("QASTREAM_COVERAGE_MAX_ROUNDS", "0"),
                    Map.entry("QASTREAM_GENERATION_RETRY_BACKOFF_MS", "20"),
                    Map.entry("QASTREAM_ROUTING_FAST_BELOW", "0"),
                    Map.entry("QASTREAM_ROUTING_BALANCED_BELOW", "0"),
                    Map.entry("TEST_MODEL_KEY", MODEL_KEY),
                    Map.entry("QASTREAM_REVIEW_TOKEN", REVIEW_TOKEN)));
            for (String tier : List.of("fast", "balanced", "quality")) {
                String prefix = "QASTREAM_TIERS_" + tier.toUpperCase() + "_";
                env.put(prefix + "BACKEND", "openai");
                env.put(prefix + "BASE_URL", model.baseUrl() + "/v1");
                env.put(prefix + "MODEL", "qwen3:8b");
                env.put(prefix + "API_KEY_ENV", "TEST_MODEL_KEY");
                env.put(prefix + "RETRIES", "0");
            }
            Config config = Config.load(null, env);

            // When `up` runs in its own JVM and processes the inbox
            Child up = Child.start(dir.resolve("up.log"), env, "up");
            try {
                Matcher metrics = up.awaitLine(METRICS_LINE, Duration.ofSeconds(90));
                Matcher review = up.awaitLine(REVIEW_LINE, Duration.ofSeconds(5));
                int metricsPort = Integer.parseInt(metrics.group(1));
                int reviewPort = Integer.parseInt(review.group(1));
                Endpoints endpoints = Endpoints.resolve(config);
                awaitWork(endpoints, dir.resolve("out"), model);
                // (a reviewer opens the workbench with the token)
                HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + reviewPort + "/review?token=" + REVIEW_TOKEN)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);

                // and status and doctor run beside it, then an export (Hugging Face folder: parquet files and the
                // dataset card), each in its own JVM
                List<Child> commands = List.of(
                        Child.start(dir.resolve("status.log"), env, "status", "--once"),
                        Child.start(dir.resolve("doctor.log"), env, "doctor"));
                for (Child c : commands) {
                    c.await(Duration.ofSeconds(90));
                }
                Child export = Child.start(dir.resolve("export-hf.log"), env, "export", "--format", "hf");
                export.await(Duration.ofSeconds(90));
                assertThat(export.process().exitValue()).as("export: %s", Files.readString(export.log())).isZero();
                assertThat(Files.readString(dir.resolve("out/export-hf/README.md"))).contains("qastream");

                // Then the key went to the model server with every call
                assertThat(model.requests()).filteredOn(r -> r.path().endsWith("/chat/completions")).hasSizeGreaterThan(2)
                        .allSatisfy(r -> assertThat(r.header("authorization")).isEqualTo("Bearer " + MODEL_KEY));

                // and up's /metrics, /health and workbench answer on loopback, and not on this machine's other address
                assertThat(get("http://127.0.0.1:" + metricsPort + "/health")).contains("status:");
                Optional<InetAddress> other = nonLoopbackAddress();
                if (other.isPresent()) {
                    for (int port : List.of(metricsPort, reviewPort)) {
                        assertThat(connects(other.get(), port)).as("port %d on %s", port, other.get()).isFalse();
                    }
                }

                // and no record of any topic holds a secret, while the refusal's reason is on the dead-letter topic
                Map<String, List<String>> records = everyTopic(endpoints);
                assertThat(records.get(Topics.GENERATION_DLQ)).as("generation.dlq")
                        .anySatisfy(r -> assertThat(r).contains("Incorrect API key provided"));
                records.forEach((topic, texts) -> assertThat(texts).as("records of %s", topic)
                        .noneSatisfy(t -> assertThat(t).containsAnyOf(MODEL_KEY, REVIEW_TOKEN)));
            } finally {
                up.stop();
            }

            // and no process's output nor any file under the output folder holds either secret
            try (Stream<Path> logs = Files.list(dir).filter(p -> p.toString().endsWith(".log"))) {
                assertNoSecret(logs.toList());
            }
            assertThat(Files.readString(dir.resolve("up.log"))).contains("review workbench on");
            try (Stream<Path> out = Files.walk(dir.resolve("out"))) {
                List<Path> files = out.filter(Files::isRegularFile).toList();
                assertThat(files).extracting(p -> p.getFileName().toString())
                        .contains("dataset.jsonl", "report.html", "report.json", "README.md");
                assertNoSecret(files);
            }
        }
    }

    /** Waits until pairs are in the dataset, the refused calls are dead-lettered and the report is written. */
    private static void awaitWork(Endpoints endpoints, Path out, LlmSimulator model) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            Path dataset = out.resolve("dataset.jsonl");
            boolean done = Files.isRegularFile(dataset)
                    && Files.size(dataset) > 0 && Files.isRegularFile(out.resolve("report.html"))
                    && !readAll(endpoints, Set.of(Topics.GENERATION_DLQ)).getOrDefault(Topics.GENERATION_DLQ, List.of()).isEmpty();
            if (done) {
                Thread.sleep(2000); // the report's next rewrite, with the dead letters in it
                return;
            }
            Thread.sleep(500);
        }
        String log = Files.readString(out.resolveSibling("up.log"), StandardCharsets.ISO_8859_1);
        throw new AssertionError("the pipeline did not process the inbox within 90 s: calls " + model.calls()
                + ", dataset " + Files.exists(out.resolve("dataset.jsonl")) + ", report "
                + Files.exists(out.resolve("report.html")) + ", dead letters " + readAll(endpoints,
                Set.of(Topics.GENERATION_DLQ)).getOrDefault(Topics.GENERATION_DLQ, List.of()).size() + "; up.log:\n"
                + log.substring(Math.max(0, log.length() - 6000)));
    }

    private static Map<String, List<String>> everyTopic(Endpoints endpoints) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
            assertThat(topics).contains(Topics.GENERATION_DLQ, Topics.DATASET_PAIRS);
            return readAll(endpoints, topics);
        }
    }

    /** Every record of these topics, aborted ones included, as text: key, value and each header. */
    private static Map<String, List<String>> readAll(Endpoints endpoints, Set<String> topics) {
        Map<String, List<String>> texts = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            topics.forEach(t -> consumer.partitionsFor(t, Duration.ofSeconds(10)).forEach(p ->
                    partitions.add(new TopicPartition(t, p.partition()))));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    StringBuilder text = new StringBuilder(string(r.key())).append('\n').append(string(r.value()));
                    for (Header h : r.headers()) {
                        text.append('\n').append(h.key()).append('=').append(string(h.value()));
                    }
                    texts.computeIfAbsent(r.topic(), k -> new ArrayList<>()).add(text.toString());
                }
            }
        }
        return texts;
    }

    private static String string(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static void assertNoSecret(List<Path> files) throws IOException {
        for (Path f : files) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertThat(text).as("%s", f).doesNotContain(MODEL_KEY).doesNotContain(REVIEW_TOKEN);
        }
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** An IPv4 address of this machine that is not loopback, if it has one. */
    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
            if (ni.isUp() && !ni.isLoopback()) {
                Optional<InetAddress> a = ni.inetAddresses().filter(x -> x instanceof Inet4Address).findFirst();
                if (a.isPresent()) {
                    return a;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean connects(InetAddress address, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }

    /** A `./pipeline` command in its own JVM with its own environment, stdout and stderr into one file. */
    private record Child(Process process, Path log) {
        static Child start(Path log, Map<String, String> env, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            return new Child(pb.start(), log);
        }

        Matcher awaitLine(Pattern line, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Matcher m = line.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
                if (m.find()) {
                    return m;
                }
                assertThat(process.isAlive()).as("%s exited: %s", log.getFileName(), Files.readString(log)).isTrue();
                Thread.sleep(200);
            }
            throw new AssertionError("no line " + line + " in " + log + ":\n" + Files.readString(log));
        }

        void await(Duration timeout) throws Exception {
            assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("%s finished", log.getFileName()).isTrue();
        }

        void stop() throws InterruptedException {
            process.destroy(); // SIGTERM: up's shutdown hook stops every stage and the registry
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
