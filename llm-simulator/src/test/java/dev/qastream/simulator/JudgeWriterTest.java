package dev.qastream.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The judge reply mode: chosen by the request's schema, grades derived from the document's facts. */
class JudgeWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOC = """
            DOCTITLE: Downlink Carrier Muting
            - **NRCellDU.dlMutingThreshold**: Load below which a carrier is muted
              - Default: 15
              - Unit: percent
            """;

    private static String user(String question, String answer) {
        return "<document>\n" + DOC + "</document>\n<question>\n" + question + "\n</question>\n<answer>\n" + answer + "\n</answer>";
    }

    @Test
    void theJudgeSchemaSelectsTheMode() throws Exception {
        assertThat(JudgeWriter.wanted(JSON.readTree("{\"format\":{\"properties\":{\"accuracy\":{}}}}"))).isTrue();
        assertThat(JudgeWriter.wanted(JSON.readTree(
                "{\"response_format\":{\"json_schema\":{\"schema\":{\"properties\":{\"accuracy\":{}}}}}}"))).isTrue();
        assertThat(JudgeWriter.wanted(JSON.readTree("{\"format\":{\"properties\":{\"pairs\":{}}}}"))).isFalse();
    }

    @Test
    void aValueTheDocumentDoesNotHoldGetsTheLowestAccuracy() throws Exception {
        String q = "What is the default value of NRCellDU.dlMutingThreshold?";
        JsonNode right = JSON.readTree(JudgeWriter.verdict(user(q, "The default value of NRCellDU.dlMutingThreshold is 15 percent.")));
        JsonNode wrong = JSON.readTree(JudgeWriter.verdict(user(q, "The default value of NRCellDU.dlMutingThreshold is 40 percent.")));
        assertThat(right.path("accuracy").asInt()).isEqualTo(5);
        assertThat(wrong.path("accuracy").asInt()).isEqualTo(1);
        assertThat(wrong.path("reason").asText()).contains("not in the document");
        // Deterministic: the same request gets the same verdict
        assertThat(JudgeWriter.verdict(user(q, "x 40."))).isEqualTo(JudgeWriter.verdict(user(q, "x 40.")));
    }
}
