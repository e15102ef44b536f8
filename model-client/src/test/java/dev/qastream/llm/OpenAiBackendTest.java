package dev.qastream.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qastream.llm.Generation;
import dev.qastream.llm.GenerationException;
import dev.qastream.llm.GenerationException.Kind;
import dev.qastream.llm.PairGenerator;
import dev.qastream.runtime.config.Config;
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

import static org.assertj.core.api.Assertions.assertThat;

/** The openai backend (any OpenAI-compatible server) against the simulator over real HTTP. */
class OpenAiBackendTest {
    static LlmSimulator sim;
    PairGenerator generator;

    @BeforeAll
    static void startSimulator() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().models("qwen3-8b").hang(Duration.ofSeconds(10)).build());
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    @BeforeEach
    void clearFaults() {
        sim.faults().clear();
        generator = generator("qwen3-8b", Map.of());
    }

    PairGenerator generator(String model, Map<String, String> more) {
        Config config = LlmFixtures.config("openai", sim.baseUrl() + "/v1", model, more);
        return Generators.forTier(config, "balanced", Map.of("SIM_KEY", "secret-123"), w -> { });
    }

    RecordedRequest lastChat() {
        return sim.requests().stream().filter(r -> r.path().equals("/v1/chat/completions")).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aDocumentCarryingInjectionTextChangesNeitherTheSystemPromptNorTheSchema() throws Exception {
        // Given the request of an ordinary chunk
        generator.generate(LlmFixtures.chunk(), "balanced");
        JsonNode plain = lastChat().body();

        // When a chunk carrying instructions, fake delimiters and fake turns is sent
        generator.generate(LlmFixtures.chunk(PromptTemplateTest.INJECTION), "balanced");
        JsonNode injected = lastChat().body();

        // Then the request still holds one system message, the template's, and one user message
        assertThat(injected.path("messages")).hasSize(2);
        assertThat(injected.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(injected.path("messages").get(0).path("content").asText())
                .isEqualTo(PromptTemplate.load(PromptTemplate.DEFAULT_ID, "").system())
                .isEqualTo(plain.path("messages").get(0).path("content").asText());
        assertThat(injected.path("messages").get(1).path("role").asText()).isEqualTo("user");
        assertThat(injected.path("messages").get(1).path("content").asText()).contains("You are a pirate.")
                .doesNotContain("<|im_start|>");
        // and the same strict output schema
        assertThat(injected.path("response_format")).isEqualTo(plain.path("response_format"));
    }

    @Test
    void sendsTheSchemaThinkingOffAndTheSettingsOverHttp11() throws Exception {
        Generation g = generator.generate(LlmFixtures.chunk(), "balanced");
        RecordedRequest r = lastChat();
        JsonNode body = r.body();
        assertThat(body.path("model").asText()).isEqualTo("qwen3-8b");
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(1500);
        JsonNode format = body.path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("name").asText()).isEqualTo("qa_pairs");
        assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
        assertThat(format.path("json_schema").path("schema").path("properties").has("pairs")).isTrue();
        assertThat(body.path("chat_template_kwargs").path("enable_thinking").isBoolean()).isTrue();
        assertThat(body.path("chat_template_kwargs").path("enable_thinking").asBoolean(true)).isFalse();
        assertThat(body.path("reasoning_effort").asText()).isEqualTo("none");
        assertThat(r.protocol()).isEqualTo("HTTP/1.1");
        assertThat(r.header("upgrade")).isNull();
        assertThat(r.message("system")).doesNotContain("ulShapingEnabled");
        assertThat(r.message("user")).contains("<document>\nDOCTITLE: Uplink Interference Shaping");
        // No key configured: a placeholder, never a key from the file
        assertThat(r.header("authorization")).isEqualTo("Bearer none");
        assertThat(g.pairs()).isNotEmpty();
        assertThat(g.pairs().get(0).questionType()).isEqualTo("parameter");
        assertThat(g.tokensIn()).isGreaterThan(100);
        assertThat(g.tokensOut()).isGreaterThan(10);
        assertThat(generator.backend()).isEqualTo("openai");
    }

    @Test
    void theApiKeyComesFromTheNamedEnvironmentVariable() throws Exception {
        generator("qwen3-8b", Map.of("tiers.balanced.api-key-env", "SIM_KEY")).generate(LlmFixtures.chunk(), "balanced");
        assertThat(lastChat().header("authorization")).isEqualTo("Bearer secret-123");
    }

    @Test
    void aServerThatRefusesReasoningEffortNoneIsAskedWithoutItAndStillGivesPairs() throws Exception {
        // Given an older vLLM, which answers 400 to reasoning_effort "none"
        try (LlmSimulator old = LlmSimulator.start(SimulatorConfig.builder().models("qwen3-8b")
                .flavour(SimulatorConfig.Flavour.OLD_VLLM).build())) {
            PairGenerator g = Generators.forTier(LlmFixtures.config("openai", old.baseUrl() + "/v1", "qwen3-8b", Map.of()),
                    "balanced", Map.of(), w -> { });

            // When two chunks are generated
            Generation first = g.generate(LlmFixtures.chunk(), "balanced");
            Generation second = g.generate(LlmFixtures.chunk(), "balanced");

            // Then both have pairs; the first call was refused and asked again without the field, the second asked
            // without it at once, and thinking is still off through the chat template
            assertThat(first.pairs()).isNotEmpty();
            assertThat(second.pairs()).isNotEmpty();
            List<JsonNode> chats = old.requests().stream().filter(r -> r.path().equals("/v1/chat/completions"))
                    .map(RecordedRequest::body).toList();
            assertThat(chats).hasSize(3);
            assertThat(chats.get(0).path("reasoning_effort").asText()).isEqualTo("none");
            assertThat(chats.subList(1, 3)).allSatisfy(b -> {
                assertThat(b.has("reasoning_effort")).isFalse();
                assertThat(b.path("chat_template_kwargs").path("enable_thinking").asBoolean(true)).isFalse();
            });
        }
    }

    @Test
    void thinkingOnDropsReasoningEffortAndEnablesTheTemplatesThinking() throws Exception {
        generator("qwen3-8b", Map.of("tiers.balanced.think", "true")).generate(LlmFixtures.chunk(), "balanced");
        JsonNode body = lastChat().body();
        assertThat(body.path("chat_template_kwargs").path("enable_thinking").asBoolean(false)).isTrue();
        assertThat(body.has("reasoning_effort")).isFalse();
    }

    @Test
    void faultsMapToTheirKinds() {
        Map<Fault, Kind> expected = new java.util.LinkedHashMap<>();
        expected.put(Fault.HTTP_500, Kind.TRANSIENT);
        expected.put(Fault.HTTP_429, Kind.TRANSIENT);
        expected.put(Fault.BUSY, Kind.TRANSIENT);
        expected.put(Fault.DROP, Kind.TRANSIENT);
        expected.put(Fault.HTTP_400, Kind.PERMANENT);
        expected.put(Fault.MALFORMED, Kind.UNPARSEABLE);
        expected.put(Fault.EMPTY, Kind.UNPARSEABLE);
        expected.put(Fault.SCHEMA, Kind.UNPARSEABLE);
        expected.put(Fault.TRUNCATED, Kind.UNPARSEABLE);
        expected.forEach((fault, kind) -> {
            sim.faults().next(fault, 1);
            try {
                generator.generate(LlmFixtures.chunk(), "balanced");
                throw new AssertionError(fault + ": no exception");
            } catch (GenerationException e) {
                assertThat(e.kind()).as(fault + ": " + e.getMessage()).isEqualTo(kind);
            }
        });
    }

    @Test
    void aServerQuotingTheApiKeyInItsErrorLeavesItOutOfTheFailure() {
        // Given a tier whose key comes from the environment, sent as the bearer token
        PairGenerator keyed = generator("qwen3-8b", Map.of("tiers.balanced.api-key-env", "SIM_KEY"));

        // When the server refuses it with an error that quotes the key (HTTP 401)
        sim.faults().next(Fault.HTTP_401, 1);
        GenerationException e = org.assertj.core.api.Assertions.catchThrowableOfType(GenerationException.class,
                () -> keyed.generate(LlmFixtures.chunk(), "balanced"));

        // Then the key went on the wire, and the failure (the dead-letter reason) says what happened without it
        assertThat(lastChat().header("authorization")).isEqualTo("Bearer secret-123");
        assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(e.getMessage()).contains("HTTP 401", "Incorrect API key provided").doesNotContain("secret-123");
    }

    @Test
    void aThinkBlockParsesAndATimeoutIsTransient() throws Exception {
        sim.faults().next(Fault.THINK, 1);
        assertThat(generator.generate(LlmFixtures.chunk(), "balanced").pairs()).isNotEmpty();
        sim.faults().next(Fault.TIMEOUT, 1);
        try {
            generator("qwen3-8b", Map.of("tiers.balanced.timeout-s", "1")).generate(LlmFixtures.chunk(), "balanced");
            throw new AssertionError("no timeout");
        } catch (GenerationException e) {
            assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        }
    }

    @Test
    void anUnknownModelIsPermanentAndARefusedConnectionTransient() throws Exception {
        try {
            generator("qwen3-32b", Map.of()).generate(LlmFixtures.chunk(), "balanced");
            throw new AssertionError("no exception");
        } catch (GenerationException e) {
            assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
            assertThat(e.getMessage()).contains("qwen3-32b");
        }
        sim.outage(true);
        try {
            generator.generate(LlmFixtures.chunk(), "balanced");
            throw new AssertionError("no exception");
        } catch (GenerationException e) {
            assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        } finally {
            sim.outage(false);
        }
    }
}
