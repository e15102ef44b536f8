package dev.qastream.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qastream.runtime.config.Config;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.simulator.Fault;
import dev.qastream.simulator.LlmSimulator;
import dev.qastream.simulator.RecordedRequest;
import dev.qastream.simulator.SimulatorConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The model-backed judge against the simulator's judge reply mode over real HTTP. */
class LlmJudgeTest {
    private static final String Q = "What is the default value of EUtranCellFDD.ulPowerBoostRsrpThreshold?";
    private static final String RIGHT = "The default value of EUtranCellFDD.ulPowerBoostRsrpThreshold is -110 dBm.";
    private static final String WRONG = "The default value of EUtranCellFDD.ulPowerBoostRsrpThreshold is -97 dBm.";
    static LlmSimulator sim;

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
    }

    static Config config(String backend, String url) {
        Map<String, String> o = new HashMap<>(Map.of(
                "scoring.judge.enabled", "true",
                "scoring.judge.tier", "quality",
                "tiers.quality.backend", backend,
                "tiers.quality.base-url", url,
                "tiers.quality.model", "qwen3:8b",
                "tiers.quality.timeout-s", "3"));
        return Config.load(null, Map.of()).with(o);
    }

    static PairJudge judge(String backend) {
        String url = backend.equals("openai") ? sim.baseUrl() + "/v1" : sim.baseUrl();
        return LlmJudge.forTier(config(backend, url), "quality", Map.of(), w -> { throw new AssertionError(w); });
    }

    @Test
    void aWrongFactIsJudgedLowerThanTheRightOneOverOllama() {
        // Given a judge on an Ollama tier
        PairJudge judge = judge("ollama");
        // When a right and a wrong answer are judged
        OptionalDouble right = judge.judge(Fixtures.pair(0, Q, RIGHT), Fixtures.chunk());
        OptionalDouble wrong = judge.judge(Fixtures.pair(1, Q, WRONG), Fixtures.chunk());
        // Then both have scores in [0, 1], and the wrong fact scores lower
        assertThat(right).isPresent();
        assertThat(wrong).isPresent();
        assertThat(right.getAsDouble()).isBetween(0.0, 1.0).isGreaterThan(wrong.getAsDouble());
        // And the request carried the judge's schema, thinking off, and the pair only in the user message
        RecordedRequest r = sim.requests().stream().filter(x -> x.path().equals("/api/chat")).reduce((a, b) -> b).orElseThrow();
        JsonNode body = r.body();
        assertThat(body.path("format").path("required").toString()).contains("accuracy", "relevance", "clarity", "usefulness");
        assertThat(body.path("think").asBoolean(true)).isFalse();
        assertThat(r.protocol()).isEqualTo("HTTP/1.1");
        assertThat(r.message("system")).doesNotContain("ulPowerBoost");
        assertThat(r.message("user")).contains("<document>\nDOCTITLE: Uplink Power Boost").contains("<answer>\n" + WRONG + "\n</answer>");
    }

    @Test
    void theOpenAiBackendJudgesToo() {
        // Given a judge on an OpenAI-compatible tier
        PairJudge judge = judge("openai");
        // When a right and a wrong answer are judged
        PairJudge.Verdict right = judge.verdict(Fixtures.pair(0, Q, RIGHT), Fixtures.chunk());
        PairJudge.Verdict wrong = judge.verdict(Fixtures.pair(1, Q, WRONG), Fixtures.chunk());
        // Then the wrong fact scores lower, and the request asked for the strict judge schema
        assertThat(right.problem()).isNull();
        assertThat(right.score().getAsDouble()).isGreaterThan(wrong.score().getAsDouble());
        RecordedRequest r = sim.requests().stream().filter(x -> x.path().equals("/v1/chat/completions")).reduce((a, b) -> b).orElseThrow();
        assertThat(r.body().path("response_format").path("json_schema").path("schema").path("properties").has("accuracy")).isTrue();
    }

    @Test
    void aCachedJudgementMakesNoSecondCall() {
        // Given a pair judged once
        PairJudge judge = judge("ollama");
        OptionalDouble first = judge.judge(Fixtures.pair(0, Q, RIGHT), Fixtures.chunk());
        int calls = sim.calls();
        // When the same pair of the same chunk version is judged again
        OptionalDouble second = judge.judge(Fixtures.pair(0, Q, RIGHT), Fixtures.chunk());
        // Then the model is not called again and the score is the same
        assertThat(sim.calls()).isEqualTo(calls);
        assertThat(second).isEqualTo(first);
        // And another chunk version is a new question to the model
        judge.judge(Fixtures.pair("lte/boost.md", "beef01", 0, Q, RIGHT), Fixtures.chunk("lte/boost.md", "beef01", Fixtures.TEXT, List.of()));
        assertThat(sim.calls()).isEqualTo(calls + 1);
    }

    @Test
    void anUnreadableJudgementIsNoOpinionAndNotCached() {
        // Given a model that answers prose without grades
        PairJudge judge = judge("ollama");
        sim.faults().next(Fault.MALFORMED, 1);
        // When a pair is judged
        PairJudge.Verdict v = judge.verdict(Fixtures.pair(0, Q, RIGHT), Fixtures.chunk());
        // Then there is no score, with a reason, and the next try asks again and gets one
        assertThat(v.score()).isEmpty();
        assertThat(v.problem()).contains("no readable judgement");
        assertThat(judge.judge(Fixtures.pair(0, Q, RIGHT), Fixtures.chunk())).isPresent();
    }

    @Test
    void aTransientErrorIsRetriedOnce() {
        PairJudge judge = judge("ollama");
        sim.faults().next(Fault.HTTP_500, 1);
        assertThat(judge.judge(Fixtures.pair(0, Q, RIGHT), Fixtures.chunk())).isPresent();
    }

    @Test
    void aTimeoutIsNoOpinionWithinTheTiersTimeoutAndNotRetried() {
        // Given a model that does not answer (the tier waits 3 s)
        PairJudge judge = judge("ollama");
        sim.faults().next(Fault.TIMEOUT, 2);
        int calls = sim.calls();
        long start = System.nanoTime();
        // When a pair is judged
        PairJudge.Verdict v = judge.verdict(Fixtures.pair(0, Q, RIGHT), Fixtures.chunk());
        // Then there is no opinion after one wait, not two
        assertThat(v.score()).isEmpty();
        assertThat(v.problem()).contains("timed out");
        assertThat(sim.calls()).isEqualTo(calls + 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void aServerThatIsDownIsNoOpinionWithoutException() throws Exception {
        // Given a judge whose server does not listen
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PairJudge judge = LlmJudge.forTier(config("ollama", "http://127.0.0.1:" + port), "quality", Map.of(), w -> { });
        // When a pair is scored with it
        ScoringSettings settings = new ScoringSettings(AcceptancePolicy.defaults(), 0.95, List.of(), true, "quality", 0.25, 4);
        ScoredPair s = new PairScorer(new StructuralScorer(), null, settings, judge, () -> 0L)
                .score(Fixtures.pair(0, Q, RIGHT), Fixtures.chunk());
        // Then the pair is scored without a judge, and says why
        assertThat(s.getJudge()).isNull();
        assertThat(s.getReasons()).anyMatch(r -> r.startsWith("judge unavailable: ") && r.contains("connection refused"));
    }

    @Test
    void aBuiltinTierWarnsOnceAndHasNoJudge() {
        List<String> warnings = new ArrayList<>();
        PairJudge judge = LlmJudge.forTier(config("builtin", sim.baseUrl()), "quality", Map.of(), warnings::add);
        assertThat(judge).isSameAs(PairJudge.NONE);
        assertThat(warnings).hasSize(1).first().asString().contains("no model server");
    }

    @Test
    void aPairScorerWithTheJudgeSetsItAndMovesTheOverallByTheWeight() {
        // Given scorers with and without the judge
        ScoringSettings on = new ScoringSettings(AcceptancePolicy.defaults(), 0.95, List.of(), true, "quality", 0.25, 4);
        ScoredPair without = new PairScorer(new StructuralScorer(), null, on, PairJudge.NONE, () -> 0L)
                .score(Fixtures.pair(0, Q, RIGHT), Fixtures.chunk());
        PairJudge judge = judge("ollama");
        double expected = judge.judge(Fixtures.pair(0, Q, RIGHT), Fixtures.chunk()).getAsDouble();
        // When the pair is scored with the judge
        ScoredPair judged = new PairScorer(new StructuralScorer(), null, on, judge, () -> 0L)
                .score(Fixtures.pair(0, Q, RIGHT), Fixtures.chunk());
        // Then ScoredPair.judge holds its score and the overall moved by the weight
        assertThat(judged.getJudge()).isCloseTo(expected, within(1e-9));
        assertThat(judged.getOverall()).isCloseTo(0.75 * without.getOverall() + 0.25 * expected, within(1e-4));
        assertThat(judged.getReasons()).noneMatch(r -> r.startsWith("judge unavailable"));
    }

    @Test
    void theWaitIsTheTiersTimeoutBoundedToTwoMinutes() {
        // Given the quality tier's default timeout (600 s, meant for generation)
        Config defaults = Config.load(null, Map.of()).with(Map.of("tiers.quality.backend", "ollama"));
        LlmJudge judge = LlmJudge.of(dev.qastream.llm.TierSettings.of(defaults, "quality"), Map.of());
        // Then the judge waits at most its bound; a shorter tier timeout is kept
        assertThat(judge.settings().timeout()).isEqualTo(LlmJudge.MAX_TIMEOUT);
        LlmJudge quick = LlmJudge.of(dev.qastream.llm.TierSettings.of(config("ollama", sim.baseUrl()), "quality"), Map.of());
        assertThat(quick.settings().timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void parsingToleratesThinkingFencesAndProse() {
        assertThat(LlmJudge.parse("<think>hmm</think>\n```json\n{\"accuracy\":5,\"relevance\":5,\"clarity\":5,\"usefulness\":5,\"reason\":\"ok\"}\n```"))
                .hasValue(1.0);
        assertThat(LlmJudge.parse("My grades {see below}: {\"accuracy\":1,\"relevance\":1,\"clarity\":\"3\",\"usefulness\":3,}"))
                .hasValue(0.25);
        assertThat(LlmJudge.parse("{\"accuracy\":9,\"relevance\":0,\"clarity\":3,\"usefulness\":3}")).hasValue(0.5);
        assertThat(LlmJudge.parse("{\"score\": 4}")).isEmpty();
        assertThat(LlmJudge.parse("")).isEmpty();
        assertThat(LlmJudge.parse(null)).isEmpty();
    }
}
