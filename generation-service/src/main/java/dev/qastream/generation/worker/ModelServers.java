package dev.qastream.generation.worker;

import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The model servers of this process, one per base URL: the tiers that share a server share its slots
 * (a semaphore sized by {@code generation.server-slots}, by default the largest max-concurrency among
 * those tiers, plus {@code generation.queue-ahead} calls queued at the server) and its circuit breaker. Ollama serves one request at a time unless told otherwise, so
 * three tiers each assuming the server alone would queue three times as many calls as it runs.
 */
public final class ModelServers {
    private final Map<String, ModelServer> byUrl = new LinkedHashMap<>();

    /** One server: its slots and breaker. */
    /** One server: its slots (the server's own plus the calls queued ahead at it), and its breaker. */
    public record ModelServer(String baseUrl, Semaphore slots, CircuitBreaker breaker, int queueAhead) {
    }

    public ModelServers(Config config, MeterRegistry meters) {
        int configured = config.integer("generation.server-slots");
        Map<String, Integer> largest = new LinkedHashMap<>();
        for (String tier : Topics.TIERS) {
            largest.merge(baseUrl(config, tier), Math.max(1, config.integer("tiers." + tier + ".max-concurrency")), Math::max);
        }
        int threshold = config.integer("generation.breaker-failures");
        long openMs = config.longValue("generation.breaker-open-ms");
        largest.forEach((url, max) -> {
            int slots = configured > 0 ? configured : max;
            int ahead = queueAhead(config, slots);
            ModelServer server = new ModelServer(url, new Semaphore(slots + ahead),
                    new CircuitBreaker(threshold, openMs, System::currentTimeMillis), ahead);
            byUrl.put(url, server);
            Gauge.builder("qastream.generation.server.slots.free", server.slots(), Semaphore::availablePermits)
                    .tag("server", url).register(meters);
            Gauge.builder("qastream.generation.breaker.open", server.breaker(), b -> b.state() == CircuitBreaker.State.CLOSED ? 0 : 1)
                    .tag("server", url).register(meters);
        });
    }

    /**
     * Calls kept waiting at a server beyond its slots ({@code generation.queue-ahead}): the server starts the next
     * one the moment a slot frees, as Ollama, vLLM and LM Studio queue what they cannot run yet. "auto": a
     * quarter of the slots, at least one (the more slots, the more often one frees during a client's turn-around).
     */
    static int queueAhead(Config config, int slots) {
        String value = config.string("generation.queue-ahead").strip();
        if (value.equalsIgnoreCase("auto")) {
            return Math.max(1, (slots + 3) / 4);
        }
        try {
            return Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("generation.queue-ahead must be a number of calls or auto, not '" + value + "'");
        }
    }

    public static String baseUrl(Config config, String tier) {
        return config.string("tiers." + tier + ".base-url");
    }

    /** The server a tier's calls go to; null for the builtin (extractive) backend, which needs none. */
    public ModelServer forTier(Config config, String tier, String backend) {
        if (isBuiltin(backend)) {
            return null;
        }
        return byUrl.get(baseUrl(config, tier));
    }

    public static boolean isBuiltin(String backend) {
        return "extractive".equals(backend) || "builtin".equals(backend);
    }
}
