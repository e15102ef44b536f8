package dev.qastream.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qastream.simulator.LlmSimulator;
import dev.qastream.simulator.SimulatorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ./pipeline score on a fixture document: no Kafka, the pipeline's parsers and scorers. */
class ScoreCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOC = Path.of("src/test/resources/e2e/inbox/lte/uplink_power_boost.md");

    @Test
    void scoresEachLineInOrderPassingOtherFieldsThrough(@TempDir Path dir) throws Exception {
        // Given a correct pair with an extra field, a wrong default, and the first pair again in other words
        Path pairs = dir.resolve("pairs.jsonl");
        Files.writeString(pairs, String.join("\n",
                "{\"question\":\"What is the default value of EUtranCellFDD.ulPowerBoostMaxOffset?\","
                        + "\"answer\":\"The default value of EUtranCellFDD.ulPowerBoostMaxOffset is 3 dB.\",\"id\":\"a\"}",
                "{\"question\":\"What is the default value of EUtranCellFDD.ulPowerBoostEnabled?\","
                        + "\"answer\":\"The default value of EUtranCellFDD.ulPowerBoostEnabled is true.\",\"id\":\"b\"}",
                "",
                "{\"question\":\"what is the default value of EUtranCellFDD.ulPowerBoostMaxOffset\","
                        + "\"answer\":\"EUtranCellFDD.ulPowerBoostMaxOffset is 3 dB by default.\",\"id\":\"c\"}") + "\n");
        Path out = dir.resolve("scored.jsonl");

        // When scored
        int rc = Main.run("score", "--doc", DOC.toString(), "--pairs", pairs.toString(), "--out", out.toString());

        // Then one line per pair, in order, with the input fields, scores, verdict and reasons
        assertThat(rc).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(out)) {
            lines.add(JSON.readTree(l));
        }
        assertThat(lines).extracting(n -> n.get("id").asText()).containsExactly("a", "b", "c");
        assertThat(lines.get(0).get("accepted").asBoolean()).isTrue();
        assertThat(lines.get(0).get("overall").asDouble()).isBetween(0.75, 1.0);
        assertThat(lines.get(0).get("coherence").isNumber()).isTrue();
        assertThat(lines.get(1).get("accepted").asBoolean()).isFalse();
        assertThat(lines.get(1).get("reasons").toString()).contains("answer says default true; the document says false");
        assertThat(lines.get(2).get("accepted").asBoolean()).isFalse();
        assertThat(lines.get(2).get("duplicateOf").asText()).isEqualTo("line 1");
    }

    @Test
    void aBadLineIsReportedWithItsNumber(@TempDir Path dir) throws Exception {
        Path pairs = dir.resolve("bad.jsonl");
        Files.writeString(pairs, "{\"question\":\"What?\",\"answer\":\"That.\"}\n\n{\"question\":\"Where?\"}\n");

        assertThatThrownBy(() -> ScoreCommand.readPairs(pairs, new ArrayList<ObjectNode>()))
                .hasMessage(pairs + ":3: \"answer\" is missing or not a non-empty string");
        assertThat(Main.run("score", "--doc", DOC.toString(), "--pairs", pairs.toString())).isEqualTo(2);
    }

    @Test
    void withTheJudgeEnabledInTheConfigurationEachPairIsJudgedAsInThePipeline(@TempDir Path dir) throws Exception {
        try (LlmSimulator sim = LlmSimulator.start(SimulatorConfig.builder().models("qwen3:30b-a3b").slots(2).build())) {
            // Given a configuration with the judge on, on a quality tier served by a model server
            Path config = dir.resolve("qastream.yaml");
            Files.writeString(config, String.join("\n",
                    "scoring:", "  judge:", "    enabled: true", "    tier: quality",
                    "tiers:", "  quality:", "    backend: openai", "    model: qwen3:30b-a3b",
                    "    base-url: " + sim.baseUrl() + "/v1") + "\n");
            Path pairs = dir.resolve("pairs.jsonl");
            Files.writeString(pairs, "{\"question\":\"What is the default value of EUtranCellFDD.ulPowerBoostMaxOffset?\","
                    + "\"answer\":\"The default value of EUtranCellFDD.ulPowerBoostMaxOffset is 3 dB.\"}\n");
            Path out = dir.resolve("scored.jsonl");

            // When scored
            int rc = Main.run("score", "--config", config.toString(), "--doc", DOC.toString(), "--pairs", pairs.toString(),
                    "--out", out.toString());

            // Then the judge was asked and its score is in the line
            assertThat(rc).isZero();
            JsonNode line = JSON.readTree(Files.readAllLines(out).get(0));
            assertThat(line.get("judge").isNumber()).as(line.toString()).isTrue();
            assertThat(sim.requests()).anyMatch(r -> r.path().equals("/v1/chat/completions"));
        }
    }
}
