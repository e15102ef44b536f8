package dev.qastream.llm;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.qastream.llm.GeneratedPair;
import dev.qastream.llm.Generation;
import dev.qastream.llm.GenerationException;
import dev.qastream.llm.PairGenerator;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.FocusFact;

import java.util.List;
import java.util.Map;

/**
 * Pairs from a model server through LangChain4j: Ollama's API or any OpenAI-compatible one (LM Studio,
 * mlx_lm.server, vLLM, llama.cpp). One {@link #generate} is one HTTP call with no retries of its own (the
 * worker owns retries), over HTTP/1.1 (some servers mishandle the JDK's h2c upgrade), asking for JSON in
 * the pairs schema and parsing leniently where the server ignores that.
 */
public final class LlmGenerator implements PairGenerator {
    public static final String OLLAMA = "ollama";
    public static final String OPENAI = "openai";

    /** {"pairs":[{"question","answer","type"}]}, as the model is asked to answer. */
    public static final JsonSchema PAIRS_SCHEMA = JsonSchema.builder()
            .name("qa_pairs")
            .rootElement(JsonObjectSchema.builder()
                    .addProperty("pairs", JsonArraySchema.builder()
                            .items(JsonObjectSchema.builder()
                                    .addStringProperty("question")
                                    .addStringProperty("answer")
                                    .addEnumProperty("type", PairsParser.TYPES.stream().sorted().toList())
                                    .required("question", "answer", "type")
                                    .additionalProperties(false)
                                    .build())
                            .build())
                    .required("pairs")
                    .additionalProperties(false)
                    .build())
            .build();
    static final ResponseFormat PAIRS_FORMAT = ChatModels.json(PAIRS_SCHEMA);

    private final String backend;
    private final TierSettings settings;
    private final PromptTemplate prompt;
    private final ChatModel chat;

    private LlmGenerator(String backend, TierSettings settings, PromptTemplate prompt, ChatModel chat) {
        this.backend = backend;
        this.settings = settings;
        this.prompt = prompt;
        this.chat = chat;
    }

    /** Ollama's /api/chat: JSON schema in {@code format}, {@code think} as configured (off by default). */
    public static LlmGenerator ollama(TierSettings s, PromptTemplate prompt) {
        return new LlmGenerator(OLLAMA, s, prompt, ChatModels.ollama(s, PAIRS_FORMAT));
    }

    /** An OpenAI-compatible /v1/chat/completions (see {@link ChatModels#openAi}). */
    public static LlmGenerator openAi(TierSettings s, PromptTemplate prompt, Map<String, String> env) {
        return new LlmGenerator(OPENAI, s, prompt, ChatModels.openAi(s, PAIRS_FORMAT, env));
    }

    @Override
    public Generation generate(Chunk chunk, String tier) throws GenerationException {
        return generate(chunk, tier, List.of());
    }

    /** A follow-up asks one pair per uncovered fact (up to {@code generation.follow-up-max-pairs}), named after the document. */
    @Override
    public Generation generate(Chunk chunk, String tier, List<FocusFact> focus) throws GenerationException {
        if (chunk == null || chunk.getText() == null) {
            throw new GenerationException("request without chunk text", GenerationException.Kind.PERMANENT);
        }
        boolean followUp = focus != null && !focus.isEmpty();
        int cap = followUp ? settings.followUpMaxPairs() : settings.maxPairs();
        int wanted = followUp ? Math.min(cap, focus.size())
                : PairCount.forChunk(chunk, settings.pairsTarget(), settings.maxPairs());
        String user = followUp ? prompt.userMessage(chunk, wanted, focus) : prompt.userMessage(chunk, wanted);
        ChatRequest request = ChatRequest.builder()
                .messages(SystemMessage.from(prompt.system()), UserMessage.from(user))
                .build();
        ChatResponse response;
        try {
            response = chat.chat(request);
        } catch (RuntimeException e) {
            throw Failures.classify(e, settings.tier(), settings.model(), settings.baseUrl());
        }
        String raw = response.aiMessage() == null || response.aiMessage().text() == null ? "" : response.aiMessage().text();
        List<GeneratedPair> pairs;
        try {
            pairs = PairsParser.parse(raw);
        } catch (GenerationException e) {
            String why = response.finishReason() == FinishReason.LENGTH
                    ? "output cut at the token limit (max-output-tokens " + settings.maxOutputTokens() + "): " + e.getMessage()
                    : e.getMessage();
            throw new GenerationException("tier " + settings.tier() + ": " + settings.model() + ": " + why,
                    GenerationException.Kind.UNPARSEABLE, raw, e);
        }
        if (pairs.size() > cap) {
            pairs = pairs.subList(0, cap);
        }
        TokenUsage usage = response.tokenUsage();
        return new Generation(pairs, count(usage == null ? null : usage.inputTokenCount()),
                count(usage == null ? null : usage.outputTokenCount()), raw);
    }

    private static int count(Integer tokens) {
        return tokens == null ? 0 : tokens;
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public String model() {
        return settings.model();
    }

    @Override
    public String promptVersion() {
        return prompt.version();
    }

    @Override
    public String parameters() {
        return settings.parameters();
    }

    @Override
    public String focusPromptVersion() {
        return prompt.focusVersion();
    }

    @Override
    public String focusParameters() {
        return settings.parameters() + ";follow-up-max-pairs=" + settings.followUpMaxPairs();
    }

    public TierSettings settings() {
        return settings;
    }
}
