package dev.qastream.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The bodies the simulator answers with, in the shapes Ollama and OpenAI-compatible servers use. */
final class Replies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Replies() {
    }

    static ObjectNode ollamaReply(String model, SimulatedCall call, JsonNode request) {
        ObjectNode r = JSON.createObjectNode();
        r.put("model", model);
        r.put("created_at", Instant.now().toString());
        ObjectNode message = r.putObject("message");
        message.put("role", "assistant");
        message.put("content", call.content());
        if (request.path("think").asBoolean(false)) {
            message.put("thinking", "The chunk states parameters and their defaults.");
        }
        r.put("done", true);
        r.put("done_reason", call.finishReason());
        long load = 1_000_000;
        r.put("total_duration", load + call.latencyNanos());
        r.put("load_duration", load);
        r.put("prompt_eval_count", call.promptTokens());
        r.put("prompt_eval_duration", call.prefillNanos());
        r.put("eval_count", call.outputTokens());
        r.put("eval_duration", call.decodeNanos());
        return r;
    }

    static ObjectNode openAiReply(String model, SimulatedCall call) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", completionId());
        r.put("object", "chat.completion");
        r.put("created", Instant.now().getEpochSecond());
        r.put("model", model);
        ObjectNode choice = r.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", call.content());
        choice.put("finish_reason", call.finishReason());
        ObjectNode usage = r.putObject("usage");
        usage.put("prompt_tokens", call.promptTokens());
        usage.put("completion_tokens", call.outputTokens());
        usage.put("total_tokens", call.promptTokens() + call.outputTokens());
        return r;
    }

    static ObjectNode openAiChunk(ObjectNode chunk, String id, String model) {
        chunk.put("id", id).put("object", "chat.completion.chunk").put("created", Instant.now().getEpochSecond()).put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putNull("finish_reason");
        return choice;
    }

    static ObjectNode tags(List<String> models) {
        ObjectNode r = JSON.createObjectNode();
        ArrayNode list = r.putArray("models");
        for (String m : models) {
            ObjectNode e = list.addObject();
            e.put("name", m).put("model", m).put("modified_at", "2026-01-01T00:00:00Z").put("size", 1L << 30)
                    .put("digest", Integer.toHexString(m.hashCode()));
            e.putObject("details").put("format", "gguf").put("family", "qwen3").put("quantization_level", "Q4_K_M");
        }
        return r;
    }

    static ObjectNode openAiModels(List<String> models, String ownedBy) {
        ObjectNode r = JSON.createObjectNode();
        r.put("object", "list");
        ArrayNode data = r.putArray("data");
        for (String m : models) {
            data.addObject().put("id", m).put("object", "model").put("created", 1_767_225_600L).put("owned_by", ownedBy);
        }
        return r;
    }

    static String completionId() {
        return "chatcmpl-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
}
