package dev.qastream.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LlmSimulatorTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DOC = """
            DOCTITLE: Downlink Carrier Hopping
            Feature State: Basic

            ## Description
            Downlink Carrier Hopping moves scheduled downlink traffic between two carriers of a cell group when one carrier is congested.
            The function keeps the UE connected while its traffic moves.

            ## Parameters
            - **NRCellDU.carrierHopEnabled**: Boolean parameter enabling downlink carrier hopping
              - MO Class: NRCellDU
              - Valid Values: false (disabled), true (enabled)
              - Default: false
            - **NRCellDU.carrierHopLoadLevel**: Load level above which traffic is moved to the other carrier
              - MO Class: NRCellDU
              - Valid Values: 10..95
              - Unit: %
              - Default: 70

            ## Counters
            - **pmCarrierHopAttempts**: Number of carrier hop attempts in the cell
            """;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    LlmSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    static ObjectNode ollamaChat(String model, int pairs) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model).put("stream", false).put("think", false);
        body.putArray("messages")
                .add(JSON.createObjectNode().put("role", "system").put("content", "You write training data."))
                .add(JSON.createObjectNode().put("role", "user")
                        .put("content", "Write " + pairs + " question/answer pairs.\n<document>\n" + DOC + "</document>"));
        body.putObject("options").put("temperature", 0.7);
        return body;
    }

    HttpResponse<String> post(String path, JsonNode body, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, JsonNode body) throws IOException, InterruptedException {
        return post(path, body, Duration.ofSeconds(10));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    static JsonNode content(HttpResponse<String> r) throws IOException {
        return JSON.readTree(json(r).path("message").path("content").asText());
    }

    @Test
    void ollamaChatAnswersWithPairsStatingTheDocumentsFacts() throws Exception {
        // Given a simulator with the default models
        sim = LlmSimulator.start(SimulatorConfig.builder().build());
        // When a chunk is sent to /api/chat
        HttpResponse<String> r = post("/api/chat", ollamaChat("qwen3:8b", 4));
        // Then the answer has Ollama's shape and pairs about the chunk's parameters
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("model").asText()).isEqualTo("qwen3:8b");
        assertThat(body.path("done").asBoolean()).isTrue();
        assertThat(body.path("done_reason").asText()).isEqualTo("stop");
        assertThat(body.path("prompt_eval_count").asInt()).isGreaterThan(50);
        assertThat(body.path("eval_count").asInt()).isGreaterThan(20);
        for (String field : List.of("created_at", "total_duration", "load_duration", "prompt_eval_duration", "eval_duration")) {
            assertThat(body.has(field)).as(field).isTrue();
        }
        JsonNode pairs = content(r).path("pairs");
        assertThat(pairs.size()).isBetween(3, 4);
        assertThat(pairs.get(0).path("answer").asText()).isEqualTo("The default value of NRCellDU.carrierHopEnabled is false.");
        assertThat(pairs.get(0).path("type").asText()).isEqualTo("parameter");
        assertThat(pairs.get(1).path("answer").asText()).isEqualTo("The default value of NRCellDU.carrierHopLoadLevel is 70 %.");
        // And the request was recorded as sent
        RecordedRequest rec = sim.requests().get(0);
        assertThat(rec.protocol()).isEqualTo("HTTP/1.1");
        assertThat(rec.body().path("think").asBoolean(true)).isFalse();
        assertThat(rec.message("user")).contains("<document>");
        assertThat(sim.calls()).isEqualTo(1);
    }

    @Test
    void pairCountFollowsTheRequestAndOutputLengthFollowsTheChunk() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().build());
        assertThat(content(post("/api/chat", ollamaChat("qwen3:8b", 2))).path("pairs").size()).isBetween(1, 2);
        assertThat(content(post("/api/chat", ollamaChat("qwen3:8b", 7))).path("pairs").size()).isBetween(6, 7);
    }

    /** A chunk of twelve parameters, each with a default and valid values, as the chunker writes it (no bold). */
    static String twelveParameters() {
        StringBuilder doc = new StringBuilder("Parameters\n\n- Note: the timers below run per cell.\n");
        for (int i = 0; i < 12; i++) {
            doc.append("- NRCellDU.timer").append(i).append(": Supervision timer number ").append(i).append('\n')
                    .append("  - Valid Values: 0..10").append(i).append('\n')
                    .append("  - Default: ").append(i).append('\n');
        }
        return doc.toString();
    }

    static ObjectNode chat(String user) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "qwen3:8b").put("stream", false);
        body.putArray("messages").add(JSON.createObjectNode().put("role", "user").put("content", user));
        return body;
    }

    /** The timers whose default an answer states, in the order stated. */
    static List<String> defaultsStated(JsonNode pairs) {
        List<String> named = new ArrayList<>();
        for (JsonNode p : pairs) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("default value of NRCellDU\\.(timer\\d+)")
                    .matcher(p.path("answer").asText());
            if (m.find()) {
                named.add(m.group(1));
            }
        }
        return named;
    }

    @Test
    void aCallAnswersAThirdOfAChunksParametersByDefaultOrAsManyAsSet() throws Exception {
        // Given a prompt asking for 30 pairs about a chunk of twelve parameters
        String user = "Write 30 question/answer pairs.\n<document>\n" + twelveParameters() + "</document>\n";

        // When the simulator answers with its default, and then set to 6 facts per call
        sim = LlmSimulator.start(SimulatorConfig.builder().build());
        List<String> byDefault = defaultsStated(content(post("/api/chat", chat(user))).path("pairs"));
        sim.close();
        sim = LlmSimulator.start(SimulatorConfig.builder().factsPerCall(6).build());
        List<String> six = defaultsStated(content(post("/api/chat", chat(user))).path("pairs"));

        // Then it states the defaults of the first third (4) of them only, or of the first six when set
        assertThat(byDefault).containsExactly("timer0", "timer1", "timer2", "timer3");
        assertThat(six).containsExactly("timer0", "timer1", "timer2", "timer3", "timer4", "timer5");
        // and a chunk of three or fewer parameters is answered whole
        assertThat(PairWriter.parametersPerCall(2, 0)).isEqualTo(2);
        assertThat(PairWriter.parametersPerCall(12, 0)).isEqualTo(4);
    }

    @Test
    void aFollowUpsFocusNamedOutsideTheDocumentIsAnsweredFirst() throws Exception {
        // Given a follow-up prompt that names two parameters of the chunk after the document block
        sim = LlmSimulator.start(SimulatorConfig.builder().build());
        String user = "Write 4 question/answer pairs.\n<document>\n" + twelveParameters() + "</document>\n"
                + "Not yet covered:\n<facts>\n- the default value of NRCellDU.timer9\n- the valid values of NRCellDU.timer11\n</facts>\n";

        // When the simulator answers
        JsonNode pairs = content(post("/api/chat", chat(user))).path("pairs");

        // Then its first pairs state the named parameters' defaults and values, before any other parameter
        assertThat(pairs.size()).isGreaterThanOrEqualTo(4);
        assertThat(pairs.get(0).path("answer").asText()).startsWith("The default value of NRCellDU.timer9 is 9.");
        assertThat(pairs.get(1).path("answer").asText()).startsWith("NRCellDU.timer9 accepts 0..109");
        assertThat(pairs.get(2).path("answer").asText()).startsWith("The default value of NRCellDU.timer11 is 11.");
        assertThat(pairs.get(3).path("answer").asText()).startsWith("NRCellDU.timer11 accepts 0..1011");
        // and the parameters it answers besides are the chunk's first ones, up to its usual share
        assertThat(defaultsStated(pairs)).startsWith("timer9", "timer11");
    }

    @Test
    void parameterTableRowsInTheChunkersFormAreAnsweredToo() throws Exception {
        // Given a chunk whose parameters are table rows, as the chunker writes a markdown table
        sim = LlmSimulator.start(SimulatorConfig.builder().build());
        String user = "Write 4 question/answer pairs.\n<document>\nParameters\n\n"
                + "Parameter: caRsrpThreshold | MO Class: EUtranCellFDD | Description: RSRP a carrier must exceed | Range: -140 to -44 | Default: -110 | Unit: dBm\n"
                + "</document>\n";

        // Then the answer states its default with its unit, naming it with its MO class
        assertThat(content(post("/api/chat", chat(user))).path("pairs").get(0).path("answer").asText())
                .startsWith("The default value of EUtranCellFDD.caRsrpThreshold is -110 dBm.");
    }

    @Test
    void wrongFactRateStatesWrongDefaults() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().wrongFactRate(1.0).build());
        String answers = content(post("/api/chat", ollamaChat("qwen3:8b", 6))).path("pairs").toString();
        assertThat(answers).contains("carrierHopEnabled is true").contains("carrierHopLoadLevel is 141 %");
    }

    @Test
    void openAiChatCompletionAndModelList() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().models("qwen3-8b").build());
        ObjectNode body = ollamaChat("qwen3-8b", 3);
        body.remove("options");
        body.put("max_tokens", 2048).putObject("chat_template_kwargs").put("enable_thinking", false);
        HttpResponse<String> r = post("/v1/chat/completions", body);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode reply = json(r);
        assertThat(reply.path("object").asText()).isEqualTo("chat.completion");
        assertThat(reply.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(JSON.readTree(reply.path("choices").get(0).path("message").path("content").asText()).path("pairs").size())
                .isBetween(2, 3);
        JsonNode usage = reply.path("usage");
        assertThat(usage.path("total_tokens").asInt())
                .isEqualTo(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());
        assertThat(sim.requests().get(0).body().path("chat_template_kwargs").path("enable_thinking").asBoolean(true)).isFalse();
        assertThat(json(get("/v1/models")).path("data").get(0).path("id").asText()).isEqualTo("qwen3-8b");
        // Unknown models answer 404 in each API's own error shape
        HttpResponse<String> missing = post("/v1/chat/completions", ollamaChat("llama3", 1));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("error").path("code").asText()).isEqualTo("model_not_found");
    }

    @Test
    void ollamaModelEndpointsAndUnknownModels() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().models("qwen3:1.7b").build());
        assertThat(json(get("/api/tags")).path("models").get(0).path("name").asText()).isEqualTo("qwen3:1.7b");
        assertThat(post("/api/show", JSON.createObjectNode().put("model", "qwen3:1.7b")).statusCode()).isEqualTo(200);
        HttpResponse<String> show = post("/api/show", JSON.createObjectNode().put("model", "qwen3:8b"));
        assertThat(show.statusCode()).isEqualTo(404);
        assertThat(json(show).path("error").asText()).isEqualTo("model 'qwen3:8b' not found");
        HttpResponse<String> chat = post("/api/chat", ollamaChat("qwen3:8b", 1));
        assertThat(chat.statusCode()).isEqualTo(404);
        assertThat(json(chat).path("error").asText()).isEqualTo("model \"qwen3:8b\" not found, try pulling it first");
    }

    @Test
    void latencyIsPrefillPlusDecodeAtTheConfiguredRates() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().prefillTps(2_000).decodeTps(1_000).build());
        long start = System.nanoTime();
        JsonNode body = json(post("/api/chat", ollamaChat("qwen3:8b", 4)));
        long elapsed = System.nanoTime() - start;
        long expected = (long) (body.path("prompt_eval_count").asInt() / 2_000.0 * 1e9 + body.path("eval_count").asInt() / 1_000.0 * 1e9);
        assertThat(body.path("prompt_eval_duration").asLong() + body.path("eval_duration").asLong()).isBetween(expected - 2, expected + 2);
        assertThat(elapsed).isGreaterThanOrEqualTo(expected);
        assertThat(sim.busySlotNanos()).isBetween(expected, expected + 2_000_000_000L); // generous: shared CI machines
    }

    @Test
    void kSlotsServeInParallelAndTheNextWaits() throws Exception {
        // Given 2 slots and calls of about 600 ms each
        sim = LlmSimulator.start(SimulatorConfig.builder().build());
        int outTokens = json(post("/api/chat", ollamaChat("qwen3:8b", 1))).path("eval_count").asInt();
        sim.close();
        double decode = outTokens / 0.6;
        sim = LlmSimulator.start(SimulatorConfig.builder().slots(2).decodeTps(decode).build());
        // When 3 equal calls arrive at once
        ExecutorService pool = Executors.newFixedThreadPool(3);
        long start = System.nanoTime();
        List<Future<Long>> done = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            done.add(pool.submit(() -> {
                post("/api/chat", ollamaChat("qwen3:8b", 1));
                return (System.nanoTime() - start) / 1_000_000;
            }));
        }
        List<Long> ms = new ArrayList<>();
        for (Future<Long> f : done) {
            ms.add(f.get());
        }
        pool.shutdown();
        ms.sort(null);
        // Then two finish together after one call's time (well before two calls' time), the third after two
        assertThat(ms.get(1)).isBetween(590L, 1_100L);
        assertThat(ms.get(2)).isGreaterThanOrEqualTo(1_190L);
        assertThat(sim.busySlotNanos() / 1_000_000).isBetween(1_790L, 3_000L);
    }

    @Test
    void aFullQueueAnswersServerBusy() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().slots(1).maxQueue(1).decodeTps(500).build());
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return post("/api/chat", ollamaChat("qwen3:8b", 4)).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<Integer> codes = all.stream().map(CompletableFuture::join).sorted().toList();
        assertThat(codes).startsWith(200, 200).contains(503);
    }

    @Test
    void scheduledFaultsHitTheNextCallsThenStop() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().build());
        sim.faults().next(Fault.HTTP_500, 2).next(Fault.HTTP_429, 1);
        assertThat(post("/api/chat", ollamaChat("qwen3:8b", 1)).statusCode()).isEqualTo(500);
        HttpResponse<String> second = post("/v1/chat/completions", ollamaChat("qwen3:8b", 1));
        assertThat(second.statusCode()).isEqualTo(500);
        assertThat(json(second).path("error").path("message").asText()).isNotEmpty();
        assertThat(post("/api/chat", ollamaChat("qwen3:8b", 1)).statusCode()).isEqualTo(429);
        assertThat(post("/api/chat", ollamaChat("qwen3:8b", 1)).statusCode()).isEqualTo(200);
    }

    @Test
    void faultsForADurationEndWhenItEnds() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().build());
        sim.faults().during(Fault.BUSY, Duration.ofMillis(300));
        HttpResponse<String> busy = post("/api/chat", ollamaChat("qwen3:8b", 1));
        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(json(busy).path("error").asText()).startsWith("server busy");
        long deadline = System.nanoTime() + 5_000_000_000L;
        int status = 503;
        while (status == 503 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            status = post("/api/chat", ollamaChat("qwen3:8b", 1)).statusCode();
        }
        assertThat(status).isEqualTo(200);
    }

    @Test
    void faultsByRateHitAboutThatShare() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().fault(Fault.HTTP_429, 0.5).build());
        int failed = 0;
        for (int i = 0; i < 40; i++) {
            failed += post("/api/chat", ollamaChat("qwen3:8b", 1)).statusCode() == 429 ? 1 : 0;
        }
        assertThat(failed).isBetween(10, 30);
        sim.faults().clear();
        assertThat(post("/api/chat", ollamaChat("qwen3:8b", 1)).statusCode()).isEqualTo(200);
    }

    @Test
    void dropAndTimeoutLeaveTheClientWithoutAnAnswer() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().hang(Duration.ofSeconds(5)).build());
        sim.faults().next(Fault.DROP, 1).next(Fault.TIMEOUT, 1);
        assertThatThrownBy(() -> post("/api/chat", ollamaChat("qwen3:8b", 1))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> post("/api/chat", ollamaChat("qwen3:8b", 1), Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(post("/api/chat", ollamaChat("qwen3:8b", 1)).statusCode()).isEqualTo(200);
    }

    @Test
    void contentFaultsShapeTheModelsText() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().build());
        sim.faults().next(Fault.THINK, 1).next(Fault.TRUNCATED, 1).next(Fault.EMPTY, 1).next(Fault.MALFORMED, 1)
                .next(Fault.SCHEMA, 1);
        String think = json(post("/api/chat", ollamaChat("qwen3:8b", 3))).path("message").path("content").asText();
        assertThat(think).startsWith("<think>").contains("</think>").contains("\"pairs\"");
        JsonNode cut = json(post("/api/chat", ollamaChat("qwen3:8b", 3)));
        assertThat(cut.path("done_reason").asText()).isEqualTo("length");
        assertThat(cut.path("message").path("content").asText()).doesNotEndWith("}");
        assertThat(json(post("/api/chat", ollamaChat("qwen3:8b", 3))).path("message").path("content").asText()).isEmpty();
        String malformed = json(post("/api/chat", ollamaChat("qwen3:8b", 3))).path("message").path("content").asText();
        assertThatThrownBy(() -> JSON.readTree(malformed.substring(malformed.indexOf('{')))).isInstanceOf(IOException.class);
        assertThat(content(post("/api/chat", ollamaChat("qwen3:8b", 3))).has("pairs")).isFalse();
    }

    @Test
    void tokenLimitCutsTheOutput() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().build());
        ObjectNode body = ollamaChat("qwen3:8b", 6);
        ((ObjectNode) body.path("options")).put("num_predict", 20);
        JsonNode r = json(post("/api/chat", body));
        assertThat(r.path("done_reason").asText()).isEqualTo("length");
        assertThat(r.path("eval_count").asInt()).isLessThanOrEqualTo(20);
    }

    @Test
    void ollamaStreamsUnlessToldNotToAndOpenAiStreamsWhenAsked() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().build());
        ObjectNode body = ollamaChat("qwen3:8b", 3);
        body.remove("stream");
        String[] lines = post("/api/chat", body).body().split("\n");
        assertThat(lines.length).isGreaterThan(2);
        StringBuilder content = new StringBuilder();
        for (String line : lines) {
            content.append(JSON.readTree(line).path("message").path("content").asText());
        }
        JsonNode last = JSON.readTree(lines[lines.length - 1]);
        assertThat(last.path("done").asBoolean()).isTrue();
        assertThat(last.path("eval_count").asInt()).isPositive();
        assertThat(JSON.readTree(content.toString()).path("pairs").size()).isBetween(2, 3);

        ObjectNode openAi = ollamaChat("qwen3:8b", 3).put("stream", true);
        openAi.putObject("stream_options").put("include_usage", true);
        HttpResponse<String> sse = post("/v1/chat/completions", openAi);
        assertThat(sse.headers().firstValue("content-type")).hasValue("text/event-stream");
        List<String> events = sse.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        JsonNode finish = JSON.readTree(events.get(events.size() - 2));
        assertThat(finish.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(finish.path("usage").path("completion_tokens").asInt()).isPositive();
    }

    @Test
    void anOutageRefusesConnectionsUntilItEnds() throws Exception {
        sim = LlmSimulator.start(SimulatorConfig.builder().build());
        int port = sim.port();
        sim.outage(true);
        assertThatThrownBy(() -> get("/api/tags")).isInstanceOf(ConnectException.class);
        sim.outage(false);
        assertThat(sim.port()).isEqualTo(port);
        assertThat(get("/api/tags").statusCode()).isEqualTo(200);
    }
}
