package dev.qastream.llm;

import dev.qastream.llm.PairGenerator;
import dev.qastream.llm.extractive.ExtractiveGenerator;
import dev.qastream.runtime.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds a tier's generator from its settings: {@code ollama}, {@code openai}, {@code builtin} (the extractive
 * generator), or {@code auto}: Ollama at the tier's base URL when it answers and has the model, else builtin
 * with one warning line that says how to enable the model.
 */
public final class Generators {
    private static final Logger log = LoggerFactory.getLogger(Generators.class);

    private Generators() {
    }

    public static PairGenerator forTier(Config config, String tier) {
        return forTier(config, tier, System.getenv(), log::warn);
    }

    public static PairGenerator forTier(Config config, String tier, Map<String, String> env, Consumer<String> warn) {
        TierSettings s = TierSettings.of(config, tier);
        return switch (s.backend()) {
            case "builtin", "extractive" -> new ExtractiveGenerator(s.maxPairs());
            case LlmGenerator.OLLAMA -> LlmGenerator.ollama(s, prompt(s));
            case LlmGenerator.OPENAI -> LlmGenerator.openAi(s, prompt(s), env);
            case "auto" -> auto(s, warn);
            default -> throw new IllegalArgumentException("tier " + tier + ": unknown backend '" + s.backend()
                    + "' in tiers." + tier + ".backend; use auto, ollama, openai or builtin");
        };
    }

    /** The check of one tier, for startup, /health and doctor: quick (about 1.5 s at most). */
    public static ModelCheck check(Config config, String tier) {
        return ServerProbe.check(TierSettings.of(config, tier), System.getenv(), ServerProbe.QUICK);
    }

    /** The checks of all tiers, in tier order. */
    public static java.util.List<ModelCheck> checkAll(Config config) {
        return dev.qastream.runtime.kafka.Topics.TIERS.stream().map(t -> check(config, t)).toList();
    }

    private static PairGenerator auto(TierSettings s, Consumer<String> warn) {
        ModelCheck check = ServerProbe.ollama(s, ServerProbe.QUICK);
        if (check.ok()) {
            return LlmGenerator.ollama(s.withBackend(LlmGenerator.OLLAMA), prompt(s));
        }
        String pull = "`ollama pull " + s.model() + "`";
        String fix = check.problem().contains("has no model") ? "Run " + pull : "Start Ollama and run " + pull;
        warn.accept(check.problem() + "; using the builtin extractive generator. " + fix + " to use the model.");
        return new ExtractiveGenerator(s.maxPairs());
    }

    private static PromptTemplate prompt(TierSettings s) {
        return PromptTemplate.load(PromptTemplate.DEFAULT_ID, s.promptsDir());
    }
}
