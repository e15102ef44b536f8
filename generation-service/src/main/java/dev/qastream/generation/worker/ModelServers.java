package dev.qastream.generation.worker;

import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;

/**
 * The model servers of this process, one per base URL: the tiers that share a server share its slots
 * (a semaphore sized by {@code generation.server-slots}, by default the largest max-concurrency among
 * those tiers, plus {@code generation.queue-ahead} calls queued at the server) and its circuit breaker. Ollama serves one request at a time unless told otherwise, so
 * three tiers each assuming the server alone would queue three times as many calls as it runs.
 *
 * <p>With {@code generation.share-idle-slots} a tier may run more calls than its max-concurrency, up to the
 * server's slots, while no other tier on the server has work waiting within its own max-concurrency: a server
 * whose other tiers are idle is not left three quarters busy by the one tier with work. A lent slot is not
 * taken back mid-call; the lending stops when the call ends, as soon as another tier wants its own share.
 */
public final class ModelServers {
    private final Map<String, ModelServer> byUrl = new LinkedHashMap<>();

    /** A tier's calls on a server: what the server asks of it when lending slots. */
    public interface Tenant {
        /** Work is waiting that the tier's own max-concurrency lets it start now. */
        boolean wantsOwnSlot();

        /** Work is waiting for a slot, whether or not within the tier's own max-concurrency. */
        boolean hasWaiting();

        /** Start what the slots, the tier's limits and the breaker allow now. */
        void start();
    }

    /** One server: its slots (the server's own plus the calls queued ahead at it), its breaker, and its tenants. */
    public static final class ModelServer {
        private final String baseUrl;
        private final Semaphore slots;
        private final CircuitBreaker breaker;
        private final int serverSlots;
        private final int queueAhead;
        private final boolean sharesIdleSlots;
        private final List<Tenant> tenants = new CopyOnWriteArrayList<>();

        ModelServer(String baseUrl, int serverSlots, int queueAhead, CircuitBreaker breaker, boolean sharesIdleSlots) {
            this.baseUrl = baseUrl;
            this.slots = new Semaphore(serverSlots + queueAhead);
            this.breaker = breaker;
            this.serverSlots = serverSlots;
            this.queueAhead = queueAhead;
            this.sharesIdleSlots = sharesIdleSlots;
        }

        public String baseUrl() {
            return baseUrl;
        }

        /** The server's slots and the calls queued ahead at it: one permit per call in flight. */
        public Semaphore slots() {
            return slots;
        }

        public CircuitBreaker breaker() {
            return breaker;
        }

        public int queueAhead() {
            return queueAhead;
        }

        /**
         * The most calls a tier of max-concurrency {@code k} may run here, queued-ahead calls aside: k, or the
         * server's slots when the server lends idle slots, the tier borrows them, and there are more of them.
         */
        public int reach(int k, boolean borrows) {
            return sharesIdleSlots && borrows ? Math.max(k, serverSlots) : k;
        }

        public void join(Tenant tenant) {
            tenants.add(tenant);
        }

        public void leave(Tenant tenant) {
            tenants.remove(tenant);
        }

        /** Another tier on this server has work waiting within its own max-concurrency: no slot is lent. */
        public boolean anotherWantsOwnSlot(Tenant self) {
            for (Tenant t : tenants) {
                if (t != self && t.wantsOwnSlot()) {
                    return true;
                }
            }
            return false;
        }

        /**
         * A call thread of {@code self} ended and gave its slot back: the other tiers with work waiting start
         * what they may now (those within their own share first), rather than at their next poll.
         */
        public void offerFreedSlot(Tenant self) {
            for (Tenant t : tenants) {
                if (t != self && t.wantsOwnSlot()) {
                    t.start();
                }
            }
            if (sharesIdleSlots && slots.availablePermits() > 0) {
                for (Tenant t : tenants) {
                    if (t != self && t.hasWaiting()) {
                        t.start();
                    }
                }
            }
        }
    }

    public ModelServers(Config config, MeterRegistry meters) {
        int configured = config.integer("generation.server-slots");
        Map<String, Integer> largest = new LinkedHashMap<>();
        for (String tier : Topics.TIERS) {
            largest.merge(baseUrl(config, tier), Math.max(1, config.integer("tiers." + tier + ".max-concurrency")), Math::max);
        }
        int threshold = config.integer("generation.breaker-failures");
        long openMs = config.longValue("generation.breaker-open-ms");
        boolean share = config.bool("generation.share-idle-slots");
        largest.forEach((url, max) -> {
            int slots = configured > 0 ? configured : max;
            int ahead = queueAhead(config, slots);
            ModelServer server = new ModelServer(url, slots, ahead,
                    new CircuitBreaker(threshold, openMs, System::currentTimeMillis), share);
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
