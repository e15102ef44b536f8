package dev.qastream.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.qastream.llm.GenerationException;
import dev.qastream.llm.PairGenerator;
import dev.qastream.llm.ChatModels;
import dev.qastream.llm.Failures;
import dev.qastream.llm.Generators;
import dev.qastream.llm.LlmGenerator;
import dev.qastream.llm.PairsParser;
import dev.qastream.llm.PromptTemplate;
import dev.qastream.llm.TierSettings;
import dev.qastream.runtime.config.Config;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;

import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * The judge as a model of the tier {@code scoring.judge.tier}, through the same chat models as generation
 * ({@link ChatModels}): the {@code judge} prompt, JSON in {@link #SCHEMA}, four grades of 1 to 5 whose mean,
 * scaled to [0, 1], is the score. A failed or unreadable judgement is no opinion, never an exception. In the
 * pipeline it is asked by the judge stage's call threads ({@link dev.qastream.scoring.judge.JudgeService}), never
 * by a stream thread; the {@code score} command asks it directly. Each wait is bounded: the tier's
 * {@code timeout-s}, at most {@link #MAX_TIMEOUT} (a judgement is a few dozen tokens: a server that takes longer
 * is treated as unavailable rather than holding a call slot), and one quick retry only on a transient error that
 * is not a timeout.
 * Judgements are kept by chunk checksum, question, answer, prompt version and model ({@link #cacheKey}): in memory
 * here (bounded LRU), and per pair on the compacted topic scoring.judgements, which outlives a restart.
 */
public final class LlmJudge implements PairJudge {
    public static final String PROMPT_ID = "judge";
    public static final List<String> GRADES = List.of("accuracy", "relevance", "clarity", "usefulness");
    public static final JsonSchema SCHEMA = JsonSchema.builder()
            .name("qa_judgement")
            .rootElement(JsonObjectSchema.builder()
                    .addIntegerProperty("accuracy")
                    .addIntegerProperty("relevance")
                    .addIntegerProperty("clarity")
                    .addIntegerProperty("usefulness")
                    .addStringProperty("reason")
                    .required("accuracy", "relevance", "clarity", "usefulness", "reason")
                    .additionalProperties(false)
                    .build())
            .build();
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(120);
    static final int DEFAULT_CACHE_SIZE = 10_000;
    private static final ResponseFormat FORMAT = ChatModels.json(SCHEMA);
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LlmJudge.class);

    private final TierSettings settings;
    private final PromptTemplate prompt;
    private final ChatModel chat;
    private final Map<String, Double> cache;

    LlmJudge(TierSettings settings, PromptTemplate prompt, ChatModel chat, int cacheSize) {
        this.settings = settings;
        this.prompt = prompt;
        this.chat = chat;
        this.cache = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Double> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /** A judge on a tier whose backend is a model server (ollama or openai). */
    public static LlmJudge of(TierSettings tier, Map<String, String> env) {
        TierSettings settings = tier.timeout().compareTo(MAX_TIMEOUT) > 0 ? tier.withTimeout(MAX_TIMEOUT) : tier;
        return new LlmJudge(settings, PromptTemplate.load(PROMPT_ID, settings.promptsDir()),
                ChatModels.forBackend(settings, FORMAT, env), DEFAULT_CACHE_SIZE);
    }

    /**
     * The judge of {@code tier}, or {@link PairJudge#NONE} with one warning where the tier has no model
     * server ({@code builtin}, or {@code auto} without a reachable Ollama that has the model).
     */
    public static PairJudge forTier(Config config, String tier, Map<String, String> env, Consumer<String> warn) {
        // The generators' choice of backend, auto's probe included, so that judge and generation agree.
        PairGenerator generator = Generators.forTier(config, tier, env, w -> { });
        if (generator instanceof LlmGenerator llm) {
            return of(llm.settings(), env);
        }
        warn.accept("scoring.judge.enabled is set, but tier " + tier + " has no model server (backend "
                + TierSettings.of(config, tier).backend() + " resolves to " + generator.backend()
                + "): scoring without a judge. Set tiers." + tier + ".backend to ollama or openai, or start the model.");
        return PairJudge.NONE;
    }

    @Override
    public OptionalDouble judge(QaPair pair, Chunk chunk) {
        return verdict(pair, chunk).score();
    }

    @Override
    public String cacheKey(QaPair pair, Chunk chunk) {
        return key(chunk.getChecksum(), pair.getQuestion(), pair.getAnswer());
    }

    @Override
    public Verdict verdict(QaPair pair, Chunk chunk) {
        String key = cacheKey(pair, chunk);
        Double cached;
        synchronized (cache) {
            cached = cache.get(key);
        }
        if (cached != null) {
            return Verdict.of(cached);
        }
        Verdict v = ask(pair, chunk);
        if (v.score().isPresent()) { // failures are not cached: the next pair, or a replay, asks again
            synchronized (cache) {
                cache.put(key, v.score().getAsDouble());
            }
        }
        return v;
    }

    private Verdict ask(QaPair pair, Chunk chunk) {
        ChatRequest request = ChatRequest.builder()
                .messages(SystemMessage.from(prompt.system()), UserMessage.from(prompt.userMessage(chunk,
                        Map.of("question", pair.getQuestion(), "answer", pair.getAnswer()))))
                .build();
        for (int attempt = 1; ; attempt++) {
            try {
                ChatResponse response = chat.chat(request);
                String raw = response.aiMessage() == null ? null : response.aiMessage().text();
                OptionalDouble score = parse(raw);
                return score.isPresent() ? Verdict.of(score.getAsDouble())
                        : Verdict.unavailable(settings.model() + " gave no readable judgement");
            } catch (RuntimeException e) {
                GenerationException failure = Failures.classify(e, settings.tier(), settings.model(), settings.baseUrl());
                boolean timedOut = timedOut(e);
                if (attempt >= 2 || failure.kind() != GenerationException.Kind.TRANSIENT || timedOut) {
                    log.debug("judge unavailable for {}: {}", pair.getChunkId(), failure.getMessage());
                    return Verdict.unavailable(failure.getMessage());
                }
            }
        }
    }

    /** A timeout already cost the whole wait: no retry after one. */
    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The mean of the four grades (each clamped to 1..5) scaled to [0, 1]; empty when one is missing. */
    static OptionalDouble parse(String raw) {
        return PairsParser.firstObject(raw, LlmJudge::graded)
                .map(o -> OptionalDouble.of(GRADES.stream()
                        .mapToDouble(g -> Math.max(1, Math.min(5, o.path(g).asDouble())))
                        .map(g -> (g - 1) / 4).average().orElseThrow()))
                .orElse(OptionalDouble.empty());
    }

    private static boolean graded(JsonNode o) {
        return GRADES.stream().allMatch(g -> o.path(g).isNumber()
                || (o.path(g).isTextual() && o.path(g).asText().strip().matches("\\d+(\\.\\d+)?")));
    }

    String key(String checksum, String question, String answer) {
        return PairJudge.digest(checksum, question, answer, prompt.version(), settings.backend(), settings.model());
    }

    @Override
    public String promptVersion() {
        return prompt.version();
    }

    @Override
    public String model() {
        return settings.model();
    }

    public TierSettings settings() {
        return settings;
    }
}
