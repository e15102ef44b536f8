package dev.qastream.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qastream.llm.PromptTemplate;
import dev.qastream.generation.router.TierRouting;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.TopicSnapshot;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DeadLetter;
import dev.qastream.simulator.Fault;
import dev.qastream.simulator.LlmSimulator;
import dev.qastream.simulator.SimulatorConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * replay end to end with real model calls: all three tiers are Ollama models served by the LLM simulator,
 * the stack is the real embedded one. The simulator's call count proves what reached a model: nothing
 * after an unchanged prompt, every chunk after a prompt change, and the dead letters once re-driven.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_VERSION = PromptTemplate.load(PromptTemplate.DEFAULT_ID, "").version();

    @TempDir
    static Path dir;
    static LlmSimulator sim;
    /** chunk id -> chunk, as batched. */
    static Map<String, Chunk> chunks = new TreeMap<>();
    /** tier -> chunks routed there. */
    static Map<String, Integer> perTierAtBatch;
    /** tier -> chunks routed there by the routing of the later configurations (all tiers used). */
    static Map<String, Integer> perTier;
    static TierRouting routing;
    /** The batch's stack, kept running for the unchanged-prompt replay beside it. */
    static Stack batchStack;
    static List<String> firstDataset;

    @BeforeAll
    static void batchTheInboxThroughTheSimulatedModels() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().slots(4).build());
        Path inbox = dir.resolve("inbox");
        E2eFixtures.copyTo(inbox);
        writeConfig("base.yaml", null, null);
        Config config = Config.load(dir.resolve("base.yaml"));
        batchStack = Stack.start(config);
        batchStack.ingest().scanUntilSettled();
        assertThat(Drain.await(batchStack, Duration.ofMinutes(2), s -> { })).isNull();
        var ctx = batchStack.context();
        for (ConsumerRecord<String, Chunk> r : TopicSnapshot.records(ctx.kafka(), ctx.topics().chunks)) {
            chunks.put(r.key(), r.value());
        }
        perTierAtBatch = countPerTier(TierRouting.from(config));
        // Routing for the later configurations: thresholds between the chunks' complexities, so every tier has some
        double[] c = chunks.values().stream().mapToDouble(Chunk::getComplexity).distinct().sorted().toArray();
        assertThat(c.length).as("distinct chunk complexities").isGreaterThanOrEqualTo(3);
        int third = c.length / 3;
        routing = new TierRouting((c[third - 1] + c[third]) / 2, (c[c.length - third - 1] + c[c.length - third]) / 2);
        perTier = countPerTier(routing);
        assertThat(perTier.values()).allSatisfy(n -> assertThat(n).isPositive());
        firstDataset = Files.readAllLines(dataset());
    }

    private static Map<String, Integer> countPerTier(TierRouting r) {
        Map<String, Integer> m = new LinkedHashMap<>();
        Topics.TIERS.forEach(t -> m.put(t, 0));
        chunks.values().forEach(ch -> m.merge(r.tierFor(ch.getComplexity()), 1, Integer::sum));
        return m;
    }

    @AfterAll
    static void stop() {
        if (batchStack != null) {
            batchStack.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    @Order(1)
    void theBatchCalledAModelOncePerChunkWithTheDefaultPrompt() throws Exception {
        // Then every chunk reached a model once, and every record carries the default template's version
        assertThat(chunks).isNotEmpty();
        assertThat(sim.calls()).isEqualTo(chunks.size());
        assertThat(firstDataset).isNotEmpty();
        assertThat(promptVersions()).containsOnly(DEFAULT_VERSION);
    }

    @Test
    @Order(2)
    void replayWithAnUnchangedPromptBesideTheRunningStackCallsNoModel() throws Exception {
        int calls = sim.calls();
        String base = dir.resolve("base.yaml").toString();

        // When replay is planned and run beside the running stack, with the configuration it runs with
        String dry = run("replay", "--dry-run", "--config", base);
        String real = run("replay", "--config", base);
        assertThat(Drain.await(batchStack, Duration.ofMinutes(2), s -> { })).isNull();

        // Then the dry run predicts no model call, per tier, and the replay makes none and changes nothing
        for (String tier : Topics.TIERS) {
            assertThat(dry).containsPattern(tierLine(tier, perTierAtBatch.get(tier), 0));
        }
        assertThat(dry).containsPattern(tierLine("total", chunks.size(), 0));
        assertThat(real).contains("sent " + chunks.size() + " generation requests");
        assertThat(sim.calls()).isEqualTo(calls);
        assertThat(Files.readAllLines(dataset())).isEqualTo(firstDataset);

        // When a replay with other prompts is sent to that stack, which still runs with the old ones
        Path prompts = Files.createDirectories(dir.resolve("prompts-other"));
        Files.writeString(prompts.resolve("qa.user.txt"), "Write {{pairs}} pairs.\n<document>\n{{document}}\n</document>\n");
        writeConfig("other.yaml", prompts, null);
        Result refused = runCommand("replay", "--config", dir.resolve("other.yaml").toString());

        // Then it is refused with the reason (its workers would answer from the cache with the old prompt)
        assertThat(refused.rc()).isEqualTo(1);
        assertThat(refused.err()).contains("generates with other settings", "prompt " + DEFAULT_VERSION, "restart");
        assertThat(refused.out()).doesNotContain("sent ");
        batchStack.close();
        batchStack = null;
    }

    @Test
    @Order(3)
    void replayAfterAPromptChangeCallsAModelForEveryChunkAndLeavesOnlyTheNewPromptsPairs() throws Exception {
        // Given a changed user prompt that asks for a single pair (so every chunk's slot count shrinks)
        Path prompts = Files.createDirectories(dir.resolve("prompts-v2"));
        Files.writeString(prompts.resolve("qa.user.txt"), "Write 1 question/answer pair about the document below,"
                + " on its most important parameter.\nFeature: {{feature}}\nSection: {{section}}\n\n"
                + "<document>\n{{document}}\n</document>\n");
        String v2 = PromptTemplate.load(PromptTemplate.DEFAULT_ID, prompts.toString()).version();
        assertThat(v2).isNotEqualTo(DEFAULT_VERSION);
        writeConfig("v2.yaml", prompts, routing);
        int calls = sim.calls();

        // When replay is planned and run on the stopped data dir with the new prompts
        String dry = run("replay", "--dry-run", "--config", dir.resolve("v2.yaml").toString());
        assertThat(sim.calls()).as("a dry run calls no model").isEqualTo(calls);
        String real = run("replay", "--config", dir.resolve("v2.yaml").toString());

        // Then the dry run predicted every chunk of every tier, and exactly that many model calls were made
        for (String tier : Topics.TIERS) {
            assertThat(dry).containsPattern(tierLine(tier, perTier.get(tier), perTier.get(tier)));
        }
        assertThat(real).contains("done: dataset");
        assertThat(sim.calls() - calls).isEqualTo(chunks.size());
        // with the new prompt
        assertThat(sim.requests().getLast().message("user")).startsWith("Write 1 question/answer pair");
        // and the dataset holds the new version's pairs only, one slot per chunk at most: no stale pair is left
        List<String> after = Files.readAllLines(dataset());
        assertThat(after).isNotEmpty();
        assertThat(promptVersions()).containsOnly(v2);
        assertThat(after.size()).isLessThanOrEqualTo(chunks.size()).isLessThan(firstDataset.size());
    }

    @Test
    @Order(4)
    void filteredReplayAndDeadLetterReDriveBesideARunningStack() throws Exception {
        // Given a running stack with a third prompt, so nothing is in the cache yet
        Path prompts = Files.createDirectories(dir.resolve("prompts-v3"));
        Files.writeString(prompts.resolve("qa.user.txt"), "Write {{pairs}} question/answer pairs for engineers"
                + " about the document below.\nFeature: {{feature}}\nSection: {{section}}\n\n"
                + "<document>\n{{document}}\n</document>\n");
        String v3 = PromptTemplate.load(PromptTemplate.DEFAULT_ID, prompts.toString()).version();
        writeConfig("v3.yaml", prompts, routing);
        String v3yaml = dir.resolve("v3.yaml").toString();
        try (Stack stack = Stack.start(Config.load(dir.resolve("v3.yaml")))) {
            // When only the documents under lte/ are replayed
            long lte = chunks.values().stream().filter(c -> c.getDocumentId().startsWith("lte/")).count();
            assertThat(lte).isPositive();
            int calls = sim.calls();
            String sent = run("replay", "--document", "lte/*", "--config", v3yaml);
            assertThat(sent).contains("sent " + lte + " generation requests");
            assertThat(Drain.await(stack, Duration.ofMinutes(2), s -> { })).isNull();
            // Then only their chunks reached a model
            assertThat(sim.calls() - calls).isEqualTo(lte);
            // and a tier filter plans that tier's chunks only, of which those just replayed are in the cache
            String quality = run("replay", "--dry-run", "--tier", "quality", "--config", v3yaml);
            int qualityOutsideLte = (int) chunks.values().stream().filter(c -> !c.getDocumentId().startsWith("lte/"))
                    .filter(c -> routing.tierFor(c.getComplexity()).equals("quality")).count();
            assertThat(quality).containsPattern(tierLine("total", perTier.get("quality"), qualityOutsideLte));

            // Given every model answer unparseable, and one document replayed
            String doc = "paging_load_control.md";
            List<Chunk> docChunks = chunks.values().stream().filter(c -> c.getDocumentId().equals(doc)).toList();
            assertThat(docChunks).isNotEmpty();
            sim.faults().rate(Fault.MALFORMED, 1.0);
            run("replay", "--document", doc, "--config", v3yaml);
            // Then its chunks escalate through the tiers and end on generation.dlq
            Set<String> dead = awaitDeadLetters(stack, docChunks.size());
            assertThat(dead).isEqualTo(docChunks.stream().map(Chunk::getChunkId).collect(Collectors.toSet()));
            assertThat(Drain.await(stack, Duration.ofMinutes(2), s -> { })).isNull();

            // When the fault is gone and the dead letters are re-driven
            sim.faults().clear();
            calls = sim.calls();
            String dry = run("replay", "--dead-letters", "--dry-run", "--config", v3yaml);
            assertThat(dry).containsPattern(tierLine("total", docChunks.size(), docChunks.size()));
            String redrive = run("replay", "--dead-letters", "--config", v3yaml);
            assertThat(redrive).contains("sent " + docChunks.size() + " generation requests");
            assertThat(Drain.await(stack, Duration.ofMinutes(2), s -> { })).isNull();

            // Then each reached a model once more and the document's pairs, of the third prompt, are in the dataset
            assertThat(sim.calls() - calls).isEqualTo(docChunks.size());
            assertThat(records()).anySatisfy(r -> {
                assertThat(r.get("metadata").get("source_document").asText()).isEqualTo(doc);
                assertThat(r.get("metadata").get("prompt_version").asText()).isEqualTo(v3);
            });
            // and a second re-drive finds nothing left to re-drive: the first marked them
            String again = run("replay", "--dead-letters", "--dry-run", "--config", v3yaml);
            assertThat(again).containsPattern(tierLine("total", 0, 0));
        }
    }

    private static Set<String> awaitDeadLetters(Stack stack, int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        Set<String> ids = Set.of();
        while (System.currentTimeMillis() < deadline) {
            ids = TopicSnapshot.records(stack.context().kafka(), stack.context().topics().deadLetters).stream()
                    .map(ConsumerRecord::value).filter(v -> v != null)
                    .map(DeadLetter::getRequest).map(r -> r.getChunk().getChunkId()).collect(Collectors.toSet());
            if (ids.size() >= expected) {
                return ids;
            }
            Thread.sleep(200);
        }
        return ids;
    }

    /** A dry run's line for a tier: "  fast      3 chunks,      3 reach a model". */
    private static String tierLine(String tier, int chunks, int reachModel) {
        return "(?m)^\\s+" + tier + "\\s+" + chunks + " chunks,\\s+" + reachModel + " reach a model";
    }

    private static void writeConfig(String name, Path promptsDir, TierRouting routing) throws IOException {
        StringBuilder y = new StringBuilder();
        y.append("data-dir: ").append(dir.resolve("data")).append("\ninbox: ").append(dir.resolve("inbox"))
                .append("\nout: ").append(dir.resolve("out"))
                .append("\nhttp:\n  port: 0\ningest:\n  settle-ms: 200\ngeneration:\n  retry-backoff-ms: 20\n");
        if (promptsDir != null) {
            y.append("  prompts-dir: \"").append(promptsDir).append("\"\n");
        }
        if (routing != null) {
            y.append("routing:\n  fast-below: ").append(routing.fastBelow()).append("\n  balanced-below: ")
                    .append(routing.balancedBelow()).append("\n");
        }
        // One generation pass per chunk (no coverage follow-ups): the calls counted here are of that pass.
        y.append("coverage:\n  max-rounds: 0\n");
        y.append("tiers:\n");
        for (String tier : Topics.TIERS) {
            // retries 0: an unparseable answer escalates at once, so dead letters come fast
            y.append("  ").append(tier).append(":\n    backend: ollama\n    base-url: \"").append(sim.baseUrl())
                    .append("\"\n    retries: 0\n    max-concurrency: 2\n");
        }
        Files.writeString(dir.resolve(name), y.toString());
    }

    record Result(int rc, String out, String err) {
    }

    /** Runs a command as the CLI does and returns what it printed (also echoed). */
    private static synchronized Result runCommand(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBuffer = new ByteArrayOutputStream();
        ByteArrayOutputStream errBuffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(outBuffer, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBuffer, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        Result r = new Result(rc, outBuffer.toString(StandardCharsets.UTF_8), errBuffer.toString(StandardCharsets.UTF_8));
        out.print(r.out());
        err.print(r.err());
        return r;
    }

    /** Runs a command that must succeed; returns its standard output. */
    private static String run(String... args) {
        Result r = runCommand(args);
        assertThat(r.rc()).as("exit code of %s; printed:%n%s%s", String.join(" ", args), r.out(), r.err()).isZero();
        return r.out();
    }

    private static Path dataset() {
        return dir.resolve("out/dataset.jsonl");
    }

    private static List<JsonNode> records() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(dataset())) {
            lines.add(JSON.readTree(l));
        }
        return lines;
    }

    private static Set<String> promptVersions() throws IOException {
        return records().stream().map(r -> r.get("metadata").get("prompt_version").asText()).collect(Collectors.toSet());
    }
}
