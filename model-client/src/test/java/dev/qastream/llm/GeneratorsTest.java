package dev.qastream.llm;

import dev.qastream.llm.PairGenerator;
import dev.qastream.llm.extractive.ExtractiveGenerator;
import dev.qastream.runtime.config.Config;
import dev.qastream.simulator.LlmSimulator;
import dev.qastream.simulator.SimulatorConfig;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GeneratorsTest {

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static PairGenerator forTier(Config config, List<String> warnings) {
        return Generators.forTier(config, "balanced", Map.of(), warnings::add);
    }

    @Test
    void autoUsesOllamaWhenItHasTheModel() throws Exception {
        try (LlmSimulator sim = LlmSimulator.start(SimulatorConfig.builder().build())) {
            List<String> warnings = new ArrayList<>();
            PairGenerator g = forTier(LlmFixtures.config("auto", sim.baseUrl(), "qwen3:8b", Map.of()), warnings);
            assertThat(g.backend()).isEqualTo("ollama");
            assertThat(warnings).isEmpty();
            assertThat(g.generate(LlmFixtures.chunk(), "balanced").pairs()).isNotEmpty();
        }
    }

    @Test
    void autoFallsBackToBuiltinQuicklyWhenNothingAnswers() throws Exception {
        String url = "http://127.0.0.1:" + freePort();
        List<String> warnings = new ArrayList<>();
        long start = System.nanoTime();
        PairGenerator g = forTier(LlmFixtures.config("auto", url, "qwen3:8b", Map.of()), warnings);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(g).isInstanceOf(ExtractiveGenerator.class);
        assertThat(warnings).containsExactly("tier balanced: no Ollama at " + url + " (connection refused); using the builtin"
                + " extractive generator. Start Ollama and run `ollama pull qwen3:8b` to use the model.");
    }

    @Test
    void autoFallsBackToBuiltinWhenTheModelIsMissing() throws Exception {
        try (LlmSimulator sim = LlmSimulator.start(SimulatorConfig.builder().models("qwen3:1.7b").build())) {
            List<String> warnings = new ArrayList<>();
            PairGenerator g = forTier(LlmFixtures.config("auto", sim.baseUrl(), "qwen3:8b", Map.of()), warnings);
            assertThat(g).isInstanceOf(ExtractiveGenerator.class);
            assertThat(warnings).containsExactly("tier balanced: Ollama at " + sim.baseUrl() + " has no model qwen3:8b; using"
                    + " the builtin extractive generator. Run `ollama pull qwen3:8b` to use the model.");
        }
    }

    @Test
    void builtinAndUnknownBackends() {
        assertThat(forTier(LlmFixtures.config("builtin", "", "x", Map.of()), new ArrayList<>())).isInstanceOf(ExtractiveGenerator.class);
        assertThatThrownBy(() -> forTier(LlmFixtures.config("magic", "", "x", Map.of()), new ArrayList<>()))
                .hasMessageContaining("unknown backend 'magic'").hasMessageContaining("tiers.balanced.backend");
    }

    @Test
    void modelChecksSayWhatIsWrongAndWhatToDo() throws Exception {
        try (LlmSimulator sim = LlmSimulator.start(SimulatorConfig.builder().models("qwen3:1.7b").build())) {
            ModelCheck missing = check("ollama", sim.baseUrl(), "qwen3:8b");
            assertThat(missing.ok()).isFalse();
            assertThat(missing.message()).isEqualTo("tier balanced: Ollama at " + sim.baseUrl()
                    + " has no model qwen3:8b; run `ollama pull qwen3:8b`");
            assertThat(check("ollama", sim.baseUrl(), "qwen3:1.7b").ok()).isTrue();
            assertThat(check("openai", sim.baseUrl() + "/v1", "qwen3:1.7b").ok()).isTrue();
            ModelCheck openAiMissing = check("openai", sim.baseUrl() + "/v1", "qwen3-8b");
            assertThat(openAiMissing.message()).contains("has no model qwen3-8b (it has: qwen3:1.7b)").contains("tiers.balanced.model");
        }
        String url = "http://127.0.0.1:" + freePort() + "/v1";
        ModelCheck down = check("openai", url, "qwen3-8b");
        assertThat(down.message()).isEqualTo("tier balanced: nothing answers at " + url + " (connection refused); start the"
                + " model server (LM Studio's server, mlx_lm.server, vLLM, llama.cpp) or fix tiers.balanced.base-url");
        assertThat(check("builtin", "", "x").ok()).isTrue();
    }

    @Test
    void llamaCppServesItsOneModelWhateverTheTierNamesSoTheCheckPassesAndSaysSo() throws Exception {
        try (LlmSimulator llama = LlmSimulator.start(SimulatorConfig.builder().models("qwen3-8b-q4_k_m.gguf")
                .flavour(SimulatorConfig.Flavour.LLAMA_CPP).build())) {
            ModelCheck c = check("openai", llama.baseUrl() + "/v1", "qwen3:8b");
            assertThat(c.ok()).as(c.message()).isTrue();
            assertThat(c.message()).contains("llama.cpp").contains("qwen3-8b-q4_k_m.gguf");
            // and generation with the tier's own name works there
            PairGenerator g = Generators.forTier(LlmFixtures.config("openai", llama.baseUrl() + "/v1", "qwen3:8b", Map.of()),
                    "balanced", Map.of(), w -> { });
            assertThat(g.generate(LlmFixtures.chunk(), "balanced").pairs()).isNotEmpty();
        }
    }

    static ModelCheck check(String backend, String url, String model) {
        return ServerProbe.check(TierSettings.of(LlmFixtures.config(backend, url, model, Map.of()), "balanced"), Map.of(), ServerProbe.QUICK);
    }
}
