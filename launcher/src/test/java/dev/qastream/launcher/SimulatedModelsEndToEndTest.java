package dev.qastream.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qastream.llm.PromptTemplate;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.TopicSnapshot;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DeadLetter;
import dev.qastream.schemas.QaPair;
import dev.qastream.simulator.Fault;
import dev.qastream.simulator.LlmSimulator;
import dev.qastream.simulator.RecordedRequest;
import dev.qastream.simulator.SimulatorConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline with its model tiers on the LLM simulator over real HTTP: balanced on the Ollama API,
 * quality on the OpenAI API (a second simulator, so faults can hit one server only), fast on the builtin
 * generator. Checks the pairs' model and prompt version, the requests on the wire, the generation cache across
 * a restart and an edit, and escalation when the balanced model's output never parses.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SimulatedModelsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BALANCED_MODEL = "qwen3:8b";
    private static final String QUALITY_MODEL = "qwen3:30b-a3b";
    private static final Set<String> MODELS = Set.of(BALANCED_MODEL, QUALITY_MODEL);

    @TempDir
    Path dir;

    @Test
    void modelTiersOnTheSimulatorFeedTheDatasetAndTheCacheSparesRepeatedCalls() throws Exception {
        try (LlmSimulator ollama = LlmSimulator.start(SimulatorConfig.builder().slots(2).build());
             LlmSimulator openAi = LlmSimulator.start(SimulatorConfig.builder().slots(2).build())) {
            // Given the fixtures and a longer feature document in the inbox, chunks of the middle band going to
            // balanced and the complex ones to quality, and a small chunk size so the long document has several
            Path inbox = dir.resolve("inbox");
            E2eFixtures.copyTo(inbox);
            Files.writeString(inbox.resolve("carrier_aggregation.md"), featureDocument(false));
            Config config = Config.load(null).with(Map.ofEntries(
                    Map.entry("data-dir", dir.resolve("data").toString()),
                    Map.entry("inbox", inbox.toString()),
                    Map.entry("out", dir.resolve("out").toString()),
                    Map.entry("http.port", "0"),
                    Map.entry("ingest.settle-ms", "200"),
                    Map.entry("ingest.max-tokens", "160"),
                    Map.entry("ingest.overlap-tokens", "0"),
                    Map.entry("routing.fast-below", "0"),
                    Map.entry("routing.balanced-below", "0.6"),
                    Map.entry("tiers.fast.backend", "builtin"),
                    Map.entry("tiers.balanced.backend", "ollama"),
                    Map.entry("tiers.balanced.base-url", ollama.baseUrl()),
                    Map.entry("tiers.balanced.model", BALANCED_MODEL),
                    Map.entry("tiers.balanced.retries", "0"),
                    Map.entry("tiers.quality.backend", "openai"),
                    Map.entry("tiers.quality.base-url", openAi.baseUrl() + "/v1"),
                    Map.entry("tiers.quality.model", QUALITY_MODEL),
                    Map.entry("tiers.quality.max-concurrency", "2"),
                    Map.entry("generation.retry-backoff-ms", "20"),
                    // one pass per chunk (no coverage follow-ups): the calls counted here are of that pass
                    Map.entry("coverage.max-rounds", "0")));
            String promptVersion = PromptTemplate.load(PromptTemplate.DEFAULT_ID, "").version();

            Set<String> checksumsBeforeEdit;
            int callsBeforeEdit;
            try (Stack stack = Stack.start(config)) {
                // When the inbox is processed
                assertThat(stack.ingest().scanUntilSettled().ingested()).isEqualTo(4);
                assertThat(Drain.await(stack, Duration.ofMinutes(2), s -> { })).isNull();

                // Then every chunk has pairs from one of the two models, with the template's prompt version
                List<Chunk> chunks = liveChunks(stack);
                Map<String, List<QaPair>> pairs = livePairsByChunk(stack);
                assertThat(chunks).hasSizeGreaterThan(4);
                assertThat(chunks).allSatisfy(c -> assertThat(pairs.get(c.getChunkId())).as("pairs of %s", c.getChunkId())
                        .isNotEmpty().allSatisfy(p -> {
                            assertThat(p.getModel()).isIn(MODELS);
                            assertThat(p.getPromptVersion()).isEqualTo(promptVersion).startsWith("qa-");
                        }));
                // and one model call per chunk, over HTTP/1.1, with the pairs' JSON schema in each API's own field
                assertThat(ollama.calls() + openAi.calls()).isEqualTo(chunks.size());
                assertThat(generationRequests(ollama)).isNotEmpty().allSatisfy(r -> {
                    assertThat(r.protocol()).isEqualTo("HTTP/1.1");
                    assertThat(r.body().path("model").asText()).isEqualTo(BALANCED_MODEL);
                    assertThat(r.body().path("format").path("properties").has("pairs")).isTrue();
                });
                assertThat(generationRequests(openAi)).allSatisfy(r -> {
                    assertThat(r.protocol()).isEqualTo("HTTP/1.1");
                    assertThat(r.body().path("model").asText()).isEqualTo(QUALITY_MODEL);
                    assertThat(r.body().path("response_format").path("json_schema").path("schema").path("properties")
                            .has("pairs")).isTrue();
                });
                // and the dataset holds records of every document, each naming its model and prompt version
                List<JsonNode> dataset = readDataset();
                assertThat(dataset).isNotEmpty().allSatisfy(line -> {
                    assertThat(line.get("metadata").get("model").asText()).isIn(MODELS);
                    assertThat(line.get("metadata").get("prompt_version").asText()).isEqualTo(promptVersion);
                    // the question type the model gave travels to the dataset
                    assertThat(line.get("metadata").get("question_type").asText()).isIn("factual", "parameter",
                            "procedure", "reasoning", "comparison", "troubleshooting");
                });
                assertThat(dataset.stream().map(l -> l.get("metadata").get("source_document").asText()).distinct())
                        .hasSize(4);
                // and /health names each tier's model server as found
                String health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + stack.http().port() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(health).contains("model fast: ok", "model balanced: ok", "model quality: ok", QUALITY_MODEL);

                // When a section is inserted in the middle of the long document
                checksumsBeforeEdit = chunks.stream().map(Chunk::getChecksum).collect(Collectors.toSet());
                callsBeforeEdit = ollama.calls() + openAi.calls();
                Files.writeString(inbox.resolve("carrier_aggregation.md"), featureDocument(true));
                stack.ingest().scanUntilSettled();
                assertThat(Drain.await(stack, Duration.ofMinutes(2), s -> { })).isNull();

                // Then only the chunks whose text changed went to a model, and the document's pairs are complete
                List<Chunk> edited = liveChunks(stack).stream()
                        .filter(c -> c.getDocumentId().equals("carrier_aggregation.md")).toList();
                long changed = edited.stream().filter(c -> !checksumsBeforeEdit.contains(c.getChecksum())).count();
                assertThat(changed).isPositive().isLessThan(edited.size());
                assertThat(ollama.calls() + openAi.calls() - callsBeforeEdit).isEqualTo(changed);
                Map<String, List<QaPair>> afterEdit = livePairsByChunk(stack);
                assertThat(edited).allSatisfy(c -> assertThat(afterEdit.get(c.getChunkId())).isNotEmpty());
            }

            int callsBeforeRestart = ollama.calls() + openAi.calls();
            // (every new chunk to balanced from now on, so the fault below meets them all)
            try (Stack stack = Stack.start(config.with(Map.of("routing.balanced-below", "1.0")))) {
                // When the stack restarts on the same data and a copy of a document arrives under a new name
                Files.copy(inbox.resolve("paging_load_control.md"), inbox.resolve("paging_load_control_copy.md"));
                assertThat(stack.ingest().scanUntilSettled().ingested()).isEqualTo(1);
                assertThat(Drain.await(stack, Duration.ofMinutes(2), s -> { })).isNull();

                // Then no model is called again: the copy's pairs come from the generation cache
                assertThat(ollama.calls() + openAi.calls()).isEqualTo(callsBeforeRestart);
                Map<String, List<QaPair>> pairs = livePairsByChunk(stack);
                assertThat(liveChunks(stack)).filteredOn(c -> c.getDocumentId().equals("paging_load_control_copy.md"))
                        .isNotEmpty().allSatisfy(c -> assertThat(pairs.get(c.getChunkId())).isNotEmpty());

                // When every answer of the balanced model is malformed and a new document arrives
                ollama.faults().rate(Fault.MALFORMED, 1.0);
                int qualityCalls = openAi.calls();
                Files.writeString(inbox.resolve("handover_margin.md"), handoverDocument());
                stack.ingest().scanUntilSettled();
                assertThat(Drain.await(stack, Duration.ofMinutes(2), s -> { })).isNull();

                // Then its balanced chunks escalate to quality, whose pairs reach the dataset
                List<Chunk> fresh = liveChunks(stack).stream()
                        .filter(c -> c.getDocumentId().equals("handover_margin.md")).toList();
                Map<String, List<QaPair>> after = livePairsByChunk(stack);
                assertThat(fresh).isNotEmpty().allSatisfy(c -> assertThat(after.get(c.getChunkId())).isNotEmpty()
                        .allSatisfy(p -> assertThat(p.getModel()).isEqualTo(QUALITY_MODEL)));
                assertThat(openAi.calls() - qualityCalls).isEqualTo(fresh.size());
                assertThat(stack.context().meters().find("qastream.generation.escalations").tag("from", "balanced")
                        .counter()).isNotNull().satisfies(c -> assertThat(c.count()).isPositive());
                assertThat(readDataset()).anySatisfy(line -> {
                    assertThat(line.get("metadata").get("source_document").asText()).isEqualTo("handover_margin.md");
                    assertThat(line.get("metadata").get("model").asText()).isEqualTo(QUALITY_MODEL);
                });
            }
        }
    }

    @Test
    void aModelServerDownForThirtySecondsAndOneAnswerInTenMalformedStillCompleteEveryChunk() throws Exception {
        try (LlmSimulator sim = LlmSimulator.start(SimulatorConfig.builder().slots(4).build())) {
            // Given every tier on one model server that answers one request in ten with malformed output
            // (the first answer malformed for sure, so the rate cannot miss this run)
            sim.faults().next(Fault.MALFORMED, 1).rate(Fault.MALFORMED, 0.10);
            Path inbox = dir.resolve("inbox");
            E2eFixtures.copyTo(inbox);
            Map<String, String> settings = new HashMap<>(Map.of(
                    "data-dir", dir.resolve("data").toString(), "inbox", inbox.toString(),
                    "out", dir.resolve("out").toString(), "http.port", "0", "ingest.settle-ms", "200",
                    "ingest.max-tokens", "160", "ingest.overlap-tokens", "0",
                    "generation.retry-backoff-ms", "200", "generation.retry-max-backoff-ms", "2000",
                    "generation.breaker-open-ms", "2000"));
            settings.put("coverage.max-rounds", "0");
            for (String tier : List.of("fast", "balanced", "quality")) {
                settings.put("tiers." + tier + ".backend", "ollama");
                settings.put("tiers." + tier + ".base-url", sim.baseUrl());
            }
            try (Stack stack = Stack.start(Config.load(null).with(settings))) {
                // When the fixtures are through, and the server goes away for 30 s just as a new document arrives
                stack.ingest().scanUntilSettled();
                assertThat(Drain.await(stack, Duration.ofMinutes(2), s -> { })).isNull();
                sim.outage(true);
                long back = System.currentTimeMillis() + 30_000;
                Files.writeString(inbox.resolve("carrier_aggregation.md"), featureDocument(false));
                stack.ingest().scanUntilSettled();
                boolean breakerOpened = false;
                while (System.currentTimeMillis() < back) {
                    breakerOpened |= breakerOpen(stack);
                    Thread.sleep(200);
                }
                sim.outage(false);
                assertThat(Drain.await(stack, Duration.ofMinutes(3), s -> { })).isNull();

                // Then every chunk has its pairs, and the only dead letters (if any) are of malformed output,
                // raw output kept, none of the outage
                List<DeadLetter> deadLetters = TopicSnapshot.latest(stack.context().kafka(), stack.context().topics().deadLetters)
                        .values().stream().filter(d -> d != null).toList();
                Set<String> deadChunks = deadLetters.stream().map(d -> d.getRequest().getChunk().getChunkId()).collect(Collectors.toSet());
                Map<String, List<QaPair>> pairs = livePairsByChunk(stack);
                List<Chunk> chunks = liveChunks(stack);
                assertThat(chunks).hasSizeGreaterThan(6).allSatisfy(c -> assertThat(
                        pairs.containsKey(c.getChunkId()) || deadChunks.contains(c.getChunkId())).as(c.getChunkId()).isTrue());
                assertThat(deadLetters).allSatisfy(d -> {
                    assertThat(d.getReason()).doesNotContainIgnoringCase("connect");
                    assertThat(d.getRawOutput()).isNotBlank();
                });
                assertThat(deadLetters.size()).isLessThan(chunks.size() / 4);
                // and the breaker opened while the server was away and closed again after, as the metrics show
                assertThat(breakerOpened).as("qastream.generation.breaker.open during the outage").isTrue();
                assertThat(breakerOpen(stack)).isFalse();
                // and the malformed answers were counted (each then retried, escalated or dead-lettered)
                assertThat(counted(stack, "qastream.generation.parse.failures")).isPositive();
            }
        }
    }

    private static double counted(Stack stack, String meter) {
        return stack.context().meters().find(meter).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static boolean breakerOpen(Stack stack) {
        return stack.context().meters().find("qastream.generation.breaker.open").gauges().stream().anyMatch(g -> g.value() > 0);
    }

    @Test
    void factsAFirstPassLeavesAreAskedForAgainByNameAndCovered() throws Exception {
        // Given a model that answers one parameter of a chunk per call, and coverage follow-ups on (the default)
        try (LlmSimulator model = LlmSimulator.start(SimulatorConfig.builder().slots(4).factsPerCall(1).build())) {
            Path root = dir.resolve("follow-ups");
            Path inbox = root.resolve("inbox");
            E2eFixtures.copyTo(inbox);
            Map<String, String> settings = new HashMap<>(Map.of("data-dir", root.resolve("data").toString(),
                    "inbox", inbox.toString(), "out", root.resolve("out").toString(), "http.port", "0",
                    "ingest.settle-ms", "200", "generation.retry-backoff-ms", "20"));
            for (String tier : List.of("fast", "balanced", "quality")) {
                settings.put("tiers." + tier + ".backend", "ollama");
                settings.put("tiers." + tier + ".base-url", model.baseUrl());
            }
            try (Stack stack = Stack.start(Config.load(null).with(settings))) {
                // When the inbox is processed, follow-ups included
                stack.ingest().scanUntilSettled();
                assertThat(Drain.await(stack, Duration.ofMinutes(3), s -> { })).isNull();
                var ctx = stack.context();
                int chunks = liveChunks(stack).size();

                // Then follow-up requests went out, each naming only facts of its own chunk, at most two rounds
                List<dev.qastream.schemas.GenerationRequest> followUps = new ArrayList<>();
                for (String tier : List.of("fast", "balanced", "quality")) {
                    TopicSnapshot.records(ctx.kafka(), ctx.topics().request(tier)).stream().map(ConsumerRecord::value)
                            .filter(r -> r != null && r.getRound() > 0).forEach(followUps::add);
                }
                assertThat(followUps).isNotEmpty().allSatisfy(r -> {
                    assertThat(r.getRound()).isBetween(1, 2);
                    assertThat(r.getFocus()).isNotEmpty().allSatisfy(f ->
                            assertThat(f.getFactId()).startsWith(r.getChunk().getChunkId() + "|"));
                });
                // and their answers were scored in slots of their round, and cover facts the first pass left
                Map<String, dev.qastream.schemas.ScoredPair> scored = TopicSnapshot.latest(ctx.kafka(), ctx.topics().scored);
                Set<String> firstPass = new HashSet<>();
                Set<String> all = new HashSet<>();
                scored.values().stream().filter(s -> s != null && s.getAccepted()).forEach(s -> {
                    all.addAll(s.getConfirmedFacts());
                    if (s.getPair().getRound() == 0) {
                        firstPass.addAll(s.getConfirmedFacts());
                    }
                });
                assertThat(scored.values()).anySatisfy(s -> assertThat(s.getPair().getSlot()).isGreaterThanOrEqualTo(100));
                assertThat(all).hasSizeGreaterThan(firstPass.size());
                // and coverage says so, document by document
                long covered = TopicSnapshot.latest(ctx.kafka(), ctx.topics().coverage).values().stream()
                        .mapToLong(dev.qastream.schemas.DocumentCoverage::getCovered).sum();
                assertThat(covered).isPositive();
                // and no chunk was asked more than once a round
                assertThat(model.calls()).isLessThanOrEqualTo(chunks * 3).isGreaterThan(chunks);
            }
        }
    }

    private static List<RecordedRequest> generationRequests(LlmSimulator sim) {
        return sim.requests().stream().filter(r -> r.path().endsWith("/chat") || r.path().endsWith("/completions")).toList();
    }

    /** The current chunk of every chunk id (tombstones and replaced revisions left out). */
    private static List<Chunk> liveChunks(Stack stack) {
        return TopicSnapshot.latest(stack.context().kafka(), stack.context().topics().chunks).values().stream()
                .filter(c -> c != null).toList();
    }

    /** Per chunk id, the pairs of the newest revision that are not removed. */
    private static Map<String, List<QaPair>> livePairsByChunk(Stack stack) {
        Map<String, QaPair> byKey = new HashMap<>();
        for (ConsumerRecord<String, QaPair> r : TopicSnapshot.records(stack.context().kafka(), stack.context().topics().pairs)) {
            QaPair held = byKey.get(r.key());
            if (held == null || r.value().getRevision() >= held.getRevision()) {
                byKey.put(r.key(), r.value());
            }
        }
        Map<String, List<QaPair>> byChunk = new HashMap<>();
        byKey.values().stream().filter(p -> !p.getRemoved())
                .forEach(p -> byChunk.computeIfAbsent(p.getChunkId(), k -> new ArrayList<>()).add(p));
        return byChunk;
    }

    private List<JsonNode> readDataset() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("out/dataset.jsonl"))) {
            lines.add(JSON.readTree(l));
        }
        return lines;
    }

    /** A feature document of several parameter sections; with {@code inserted}, one more in the middle. */
    private static String featureDocument(boolean inserted) {
        StringBuilder doc = new StringBuilder("""
                DOCTITLE: Carrier Aggregation Scheduling
                Product: CXC4011476
                Feature State: Active

                ## Description
                Carrier Aggregation Scheduling lets the eNodeB schedule one UE on up to five component carriers, \
                choosing secondary cells by their load and the UE's reported channel quality.

                """);
        String[][] params = {
                {"caSCellActivationThreshold", "Buffer size in kilobytes above which a secondary cell is activated", "0 to 1000", "100"},
                {"caSCellDeactivationTimer", "Time without data after which a secondary cell is deactivated, in ms", "10 to 10000", "320"},
                {"caMaxComponentCarriers", "Highest number of component carriers one UE may use", "2 to 5", "3"},
                {"caLoadBalancingEnabled", "Whether secondary cells are chosen by their load", "false, true", "true"},
        };
        for (int i = 0; i < params.length; i++) {
            if (inserted && i == 2) {
                doc.append(section("caCqiFilterCoefficient", "Weight of the newest CQI report in the filtered channel quality", "1 to 16", "4"));
            }
            doc.append(section(params[i][0], params[i][1], params[i][2], params[i][3]));
        }
        return doc.toString();
    }

    private static String section(String name, String what, String range, String def) {
        return "## Parameter " + name + "\n"
                + "- **EUtranCellFDD." + name + "**: " + what + ". The scheduler reads it on every transmission time "
                + "interval, so a change applies at once without a cell restart. Operators raise or lower it after "
                + "checking the secondary cell counters of the last day, one cluster at a time.\n"
                + "  - MO Class: EUtranCellFDD\n"
                + "  - Valid Values: " + range + "\n"
                + "  - Default: " + def + "\n\n";
    }

    private static String handoverDocument() {
        return """
                DOCTITLE: Handover Margin Control
                Product: CXC4012345
                Feature State: Active

                ## Description
                Handover Margin Control adapts the A3 offset of a cell to its handover failure rate, so cells with many \
                too-late handovers trigger them earlier.

                ## Parameters
                - **EUtranCellFDD.hoMarginStep**: Step by which the A3 offset changes after one evaluation period, in dB
                  - MO Class: EUtranCellFDD
                  - Valid Values: 0 to 6
                  - Default: 1
                """;
    }
}
