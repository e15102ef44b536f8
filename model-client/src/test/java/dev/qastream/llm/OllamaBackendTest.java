package dev.qastream.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qastream.llm.Generation;
import dev.qastream.llm.GenerationException;
import dev.qastream.llm.GenerationException.Kind;
import dev.qastream.llm.PairGenerator;
import dev.qastream.simulator.Fault;
import dev.qastream.simulator.LlmSimulator;
import dev.qastream.simulator.RecordedRequest;
import dev.qastream.simulator.SimulatorConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ollama backend against the simulator over real HTTP. */
class OllamaBackendTest {
    static LlmSimulator sim;
    PairGenerator generator;

    @BeforeAll
    static void startSimulator() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().slots(2).hang(Duration.ofSeconds(10)).build());
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    @BeforeEach
    void clearFaults() {
        sim.faults().clear();
        generator = Generators.forTier(LlmFixtures.config("ollama", sim.baseUrl(), "qwen3:8b", Map.of()), "balanced");
    }

    RecordedRequest lastChat() {
        return sim.requests().stream().filter(r -> r.path().equals("/api/chat")).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aFollowUpSendsItsFactsAfterTheDocumentAndGetsThemAnsweredFirst() throws Exception {
        // Given a follow-up naming the default of the chunk's second parameter
        var fact = dev.qastream.schemas.FocusFact.newBuilder()
                .setFactId("ran/ul_shaping.md#0|parameter.default|EUtranCellFDD.ulShapingThreshold")
                .setSubject("EUtranCellFDD.ulShapingThreshold").setKind("parameter.default").setValue("-100")
                .setText("the default value of EUtranCellFDD.ulShapingThreshold").build();

        // When it is generated
        Generation g = generator.generate(LlmFixtures.chunk(), "balanced", List.of(fact));

        // Then the model was asked for one pair, the fact named after the document block
        String user = lastChat().message("user");
        assertThat(user).contains("Write 1 question/answer pairs");
        assertThat(user.substring(user.indexOf("</document>"))).contains("- the default value of EUtranCellFDD.ulShapingThreshold");
        // and the pair about it comes first, under the follow-up's own prompt version
        assertThat(g.pairs().get(0).answer()).startsWith("The default value of EUtranCellFDD.ulShapingThreshold is -100");
        assertThat(generator.focusPromptVersion()).startsWith(generator.promptVersion() + "+focus-");
    }

    @Test
    void sendsTheSchemaThinkOffAndTheSettingsOverHttp11() throws Exception {
        // When a chunk is generated
        Generation g = generator.generate(LlmFixtures.chunk(), "balanced");
        // Then the request carried the JSON schema, think:false, the tier's model and options
        RecordedRequest r = lastChat();
        JsonNode body = r.body();
        assertThat(body.path("model").asText()).isEqualTo("qwen3:8b");
        assertThat(body.path("stream").asBoolean(true)).isFalse();
        assertThat(body.path("think").isBoolean()).isTrue();
        assertThat(body.path("think").asBoolean(true)).isFalse();
        assertThat(body.path("format").path("type").asText()).isEqualTo("object");
        assertThat(body.path("format").path("required").toString()).contains("pairs");
        assertThat(body.path("format").path("properties").path("pairs").path("items").path("required").toString())
                .contains("question").contains("answer").contains("type");
        assertThat(body.path("options").path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("options").path("num_predict").asInt()).isEqualTo(1500);
        // over HTTP/1.1 with no h2c upgrade
        assertThat(r.protocol()).isEqualTo("HTTP/1.1");
        assertThat(r.header("upgrade")).isNull();
        assertThat(r.header("http2-settings")).isNull();
        // the document only in the user message, between the delimiters
        assertThat(r.message("system")).doesNotContain("ulShapingEnabled");
        assertThat(r.message("user")).contains("<document>\nDOCTITLE: Uplink Interference Shaping").contains("</document>");
        // And the pairs were parsed with types and the tokens counted from the response
        assertThat(g.pairs()).isNotEmpty();
        assertThat(g.pairs().get(0).answer()).startsWith("The default value of EUtranCellFDD.ulShapingEnabled is false.");
        assertThat(g.pairs().get(0).questionType()).isEqualTo("parameter");
        assertThat(g.tokensIn()).isGreaterThan(100);
        assertThat(g.tokensOut()).isGreaterThan(10);
        assertThat(g.rawOutput()).contains("\"pairs\"");
        assertThat(generator.backend()).isEqualTo("ollama");
        assertThat(generator.model()).isEqualTo("qwen3:8b");
        assertThat(generator.promptVersion()).matches("qa-[0-9a-f]{6}");
        assertThat(generator.parameters()).isEqualTo("temperature=0.3;max-output-tokens=1500;pairs-target=5;max-pairs=8;think=false");
    }

    @Test
    void thinkingOnIsSentWhenConfigured() throws Exception {
        PairGenerator thinking = Generators.forTier(LlmFixtures.config("ollama", sim.baseUrl(), "qwen3:8b",
                Map.of("tiers.balanced.think", "true")), "balanced");
        thinking.generate(LlmFixtures.chunk(), "balanced");
        assertThat(lastChat().body().path("think").asBoolean(false)).isTrue();
        assertThat(thinking.parameters()).isNotEqualTo(generator.parameters());
    }

    @Test
    void aThinkBlockBeforeTheJsonStillParses() throws Exception {
        sim.faults().next(Fault.THINK, 1);
        Generation g = generator.generate(LlmFixtures.chunk(), "balanced");
        assertThat(g.rawOutput()).startsWith("<think>");
        assertThat(g.pairs()).isNotEmpty();
    }

    @Test
    void serverErrorsBusyAndRateLimitsAreTransient() {
        for (Fault f : new Fault[] {Fault.HTTP_500, Fault.HTTP_429, Fault.BUSY, Fault.DROP}) {
            sim.faults().next(f, 1);
            assertKind(Kind.TRANSIENT, f.name());
        }
    }

    @Test
    void aTimeoutIsTransient() {
        PairGenerator quick = Generators.forTier(LlmFixtures.config("ollama", sim.baseUrl(), "qwen3:8b",
                Map.of("tiers.balanced.timeout-s", "1")), "balanced");
        sim.faults().next(Fault.TIMEOUT, 1);
        long start = System.nanoTime();
        assertThatThrownBy(() -> quick.generate(LlmFixtures.chunk(), "balanced"))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TRANSIENT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void unusableContentIsUnparseableWithTheRawOutput() {
        for (Fault f : new Fault[] {Fault.MALFORMED, Fault.EMPTY, Fault.SCHEMA, Fault.TRUNCATED}) {
            sim.faults().next(f, 1);
            GenerationException e = assertKind(Kind.UNPARSEABLE, f.name());
            assertThat(e.rawOutput()).as(f.name()).isNotNull();
            if (f == Fault.TRUNCATED) {
                assertThat(e.getMessage()).contains("cut at the token limit");
            }
        }
    }

    @Test
    void anUnknownModelIsPermanent() {
        generator = Generators.forTier(LlmFixtures.config("ollama", sim.baseUrl(), "llama9:70b", Map.of()), "balanced");
        GenerationException e = assertKind(Kind.PERMANENT, "unknown model");
        assertThat(e.getMessage()).contains("llama9:70b").contains("not found");
    }

    @Test
    void aBadRequestIsPermanent() {
        sim.faults().next(Fault.HTTP_400, 1);
        assertThat(assertKind(Kind.PERMANENT, "400").getMessage()).contains("HTTP 400");
    }

    @Test
    void aRefusedConnectionIsTransient() throws Exception {
        sim.outage(true);
        try {
            GenerationException e = assertKind(Kind.TRANSIENT, "outage");
            assertThat(e.getMessage()).contains("connection refused");
        } finally {
            sim.outage(false);
        }
    }

    @Test
    void concurrentCallsOverlapOnTheServersSlots() throws Exception {
        // Given a server with 3 slots and calls of about 600 ms each
        int outTokens = generator.generate(LlmFixtures.chunk(), "balanced").tokensOut();
        try (LlmSimulator timed = LlmSimulator.start(SimulatorConfig.builder().slots(3).decodeTps(outTokens / 0.6).build())) {
            PairGenerator g = Generators.forTier(LlmFixtures.config("ollama", timed.baseUrl(), "qwen3:8b", Map.of()), "balanced");
            // When 3 callers generate at once
            long start = System.nanoTime();
            try (var pool = Executors.newFixedThreadPool(3)) {
                List<Future<Generation>> futures = IntStream.range(0, 3)
                        .mapToObj(i -> pool.submit(() -> g.generate(LlmFixtures.chunk(), "balanced"))).toList();
                for (Future<Generation> f : futures) {
                    assertThat(f.get().pairs()).isNotEmpty();
                }
            }
            // Then they ran side by side: about one call's time, not three
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
            assertThat(timed.busySlotNanos() / 1_000_000).isGreaterThanOrEqualTo(3 * 590L);
        }
    }

    GenerationException assertKind(Kind kind, String what) {
        try {
            generator.generate(LlmFixtures.chunk(), "balanced");
        } catch (GenerationException e) {
            assertThat(e.kind()).as(what + ": " + e.getMessage()).isEqualTo(kind);
            return e;
        }
        throw new AssertionError(what + ": no exception");
    }
}
