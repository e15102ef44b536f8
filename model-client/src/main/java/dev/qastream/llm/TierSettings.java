package dev.qastream.llm;

import dev.qastream.runtime.Secrets;
import dev.qastream.runtime.config.Config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * One tier's model settings ({@code tiers.<tier>.*}) plus the generation settings the backends need.
 * The API key is never in the file: {@code apiKeyEnv} names the environment variable that holds it.
 */
public record TierSettings(String tier, String backend, String model, String baseUrl, String apiKeyEnv,
                           int maxConcurrency, Duration timeout, int retries, double temperature,
                           int maxOutputTokens, int pairsTarget, boolean think, int maxPairs, String promptsDir,
                           int followUpMaxPairs) {

    public static TierSettings of(Config config, String tier) {
        String p = "tiers." + tier + ".";
        return new TierSettings(tier,
                config.string(p + "backend").strip().toLowerCase(Locale.ROOT),
                config.string(p + "model").strip(),
                stripSlash(config.string(p + "base-url").strip()),
                config.string(p + "api-key-env").strip(),
                config.integer(p + "max-concurrency"),
                Duration.ofSeconds(config.integer(p + "timeout-s")),
                config.integer(p + "retries"),
                config.decimal(p + "temperature"),
                config.integer(p + "max-output-tokens"),
                config.integer(p + "pairs-target"),
                config.bool(p + "think"),
                config.integer("generation.max-pairs-per-chunk"),
                config.string("generation.prompts-dir").strip(),
                Math.clamp(config.integer("generation.follow-up-max-pairs"), 1, Rounds.SLOTS_PER_ROUND));
    }

    /** The API key from the environment, or null when none is configured or set. Never logged. */
    public String apiKey(Map<String, String> env) {
        if (apiKeyEnv.isEmpty()) {
            return null;
        }
        String key = env.get(apiKeyEnv);
        // remembered, so that a server's error quoting it is masked in logs and dead-letter reasons
        return key == null || key.isBlank() ? null : Secrets.remember(key.strip());
    }

    /** Canonical generation parameters for the cache key. */
    public String parameters() {
        return "temperature=" + temperature + ";max-output-tokens=" + maxOutputTokens + ";pairs-target=" + pairsTarget
                + ";max-pairs=" + maxPairs + ";think=" + think;
    }

    public TierSettings withBackend(String newBackend) {
        return new TierSettings(tier, newBackend, model, baseUrl, apiKeyEnv, maxConcurrency, timeout, retries,
                temperature, maxOutputTokens, pairsTarget, think, maxPairs, promptsDir, followUpMaxPairs);
    }

    public TierSettings withTimeout(Duration newTimeout) {
        return new TierSettings(tier, backend, model, baseUrl, apiKeyEnv, maxConcurrency, newTimeout, retries,
                temperature, maxOutputTokens, pairsTarget, think, maxPairs, promptsDir, followUpMaxPairs);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
