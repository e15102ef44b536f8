package dev.qastream.llm;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The chat models of a tier, as every model call of the project builds them: over HTTP/1.1 (some servers
 * mishandle the JDK's h2c upgrade), no LangChain4j retries (the caller owns retries), the tier's timeout,
 * thinking as configured (off by default) and JSON output in the given schema.
 */
public final class ChatModels {
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private ChatModels() {
    }

    /** Asks for JSON that follows {@code schema}. */
    public static ResponseFormat json(JsonSchema schema) {
        return ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build();
    }

    /** Ollama's /api/chat: JSON schema in {@code format}, {@code think} as configured. */
    public static ChatModel ollama(TierSettings s, ResponseFormat format) {
        return OllamaChatModel.builder()
                .httpClientBuilder(http(s.timeout()))
                .baseUrl(s.baseUrl())
                .modelName(s.model())
                .temperature(s.temperature())
                .numPredict(s.maxOutputTokens())
                .think(s.think())
                .returnThinking(false)
                .responseFormat(format)
                .timeout(s.timeout())
                .maxRetries(0)
                .build();
    }

    /**
     * An OpenAI-compatible /v1/chat/completions: {@code response_format} json_schema (strict), and with
     * thinking off, {@code chat_template_kwargs.enable_thinking=false} (Qwen3 templates on vLLM, llama.cpp,
     * LM Studio) plus {@code reasoning_effort: "none"}, left out from the first refusal on
     * ({@link ReasoningEffortFallback}).
     */
    public static ChatModel openAi(TierSettings s, ResponseFormat format, Map<String, String> env) {
        if (s.think()) {
            return openAi(s, format, env, false);
        }
        return new ReasoningEffortFallback(openAi(s, format, env, true), openAi(s, format, env, false),
                "tier " + s.tier() + ": " + s.model() + " at " + s.baseUrl());
    }

    private static ChatModel openAi(TierSettings s, ResponseFormat format, Map<String, String> env, boolean effortNone) {
        String key = s.apiKey(env);
        Map<String, Object> custom = new LinkedHashMap<>();
        custom.put("chat_template_kwargs", Map.of("enable_thinking", s.think()));
        OpenAiChatModel.OpenAiChatModelBuilder b = OpenAiChatModel.builder()
                .httpClientBuilder(http(s.timeout()))
                .baseUrl(s.baseUrl())
                .apiKey(key == null ? "none" : key) // local servers take any key; LangChain4j insists on one
                .modelName(s.model())
                .temperature(s.temperature())
                .maxTokens(s.maxOutputTokens())
                .responseFormat(format)
                .strictJsonSchema(true)
                .customParameters(custom)
                .timeout(s.timeout())
                .maxRetries(0);
        if (effortNone) {
            b.reasoningEffort("none");
        }
        return b.build();
    }

    /** The tier's model for a model-server backend ({@code ollama} or {@code openai}). */
    public static ChatModel forBackend(TierSettings s, ResponseFormat format, Map<String, String> env) {
        return switch (s.backend()) {
            case LlmGenerator.OLLAMA -> ollama(s, format);
            case LlmGenerator.OPENAI -> openAi(s, format, env);
            default -> throw new IllegalArgumentException("tier " + s.tier() + ": backend '" + s.backend()
                    + "' is not a model server (use ollama or openai)");
        };
    }

    private static JdkHttpClientBuilder http(Duration timeout) {
        Duration connect = timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT;
        return JdkHttpClient.builder()
                .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
                .connectTimeout(connect)
                .readTimeout(timeout);
    }
}
