package dev.qastream.simulator;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How the simulator behaves.
 *
 * @param host           interface to bind (loopback by default)
 * @param port           0 picks a free port
 * @param slots          requests served at once, like OLLAMA_NUM_PARALLEL or llama.cpp's --parallel
 * @param maxQueue       requests waiting beyond the slots; more are refused with 503 "server busy"
 * @param prefillTps     prompt tokens per second (0: no prefill time)
 * @param decodeTps      output tokens per second (0: no decode time)
 * @param models         model names the server has; others answer 404
 * @param wrongFactRate  share of answers that state a wrong fact (a wrong default or an invented name)
 * @param faultRates     faults by rate, from the start
 * @param hang           how long a TIMEOUT fault keeps the client waiting
 * @param seed           seeds the fault draws and the wrong facts, so runs repeat
 * @param flavour        which real server's quirks to show on the OpenAI API ({@link Flavour})
 * @param factsPerCall   parameters of a chunk one call answers, besides those a follow-up's focus names; 0: a third
 *                       of them (all of a chunk of three or fewer), as a real model answers only some per call
 */
public record SimulatorConfig(String host, int port, int slots, int maxQueue, double prefillTps, double decodeTps,
                              List<String> models, double wrongFactRate, Map<Fault, Double> faultRates,
                              Duration hang, long seed, Flavour flavour, int factsPerCall) {

    /** Quirks of real OpenAI-compatible servers. */
    public enum Flavour {
        /** Model names checked (404 for others), every request field taken: vLLM today, LM Studio, Ollama. */
        STRICT,
        /** As vLLM before it took {@code reasoning_effort: "none"}: a 400 naming the field. */
        OLD_VLLM,
        /** As llama.cpp's server: one model, listed as owned by "llamacpp", answering whatever model name is asked. */
        LLAMA_CPP;

        /** "old-vllm" -> OLD_VLLM. */
        public static Flavour parse(String name) {
            try {
                return valueOf(name.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown server flavour '" + name + "': strict, old-vllm or llama-cpp");
            }
        }
    }

    public static final List<String> DEFAULT_MODELS = List.of("qwen3:1.7b", "qwen3:8b", "qwen3:30b-a3b");

    public SimulatorConfig {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1, was " + slots);
        }
        if (maxQueue < 0 || prefillTps < 0 || decodeTps < 0) {
            throw new IllegalArgumentException("queue size and token rates must not be negative");
        }
        if (wrongFactRate < 0 || wrongFactRate > 1) {
            throw new IllegalArgumentException("wrong-fact rate must be in [0, 1], was " + wrongFactRate);
        }
        if (factsPerCall < 0) {
            throw new IllegalArgumentException("facts per call must be 0 (a third) or more, was " + factsPerCall);
        }
        models = List.copyOf(models);
        faultRates = Map.copyOf(faultRates);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: loopback, free port, 1 slot, queue 512 (Ollama's), no delays, the three Qwen3 tiers, no faults. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private int slots = 1;
        private int maxQueue = 512;
        private double prefillTps;
        private double decodeTps;
        private List<String> models = DEFAULT_MODELS;
        private double wrongFactRate;
        private final Map<Fault, Double> faultRates = new EnumMap<>(Fault.class);
        private Duration hang = Duration.ofMinutes(10);
        private long seed = 42;
        private Flavour flavour = Flavour.STRICT;
        private int factsPerCall;

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder slots(int slots) {
            this.slots = slots;
            return this;
        }

        public Builder maxQueue(int maxQueue) {
            this.maxQueue = maxQueue;
            return this;
        }

        public Builder prefillTps(double tps) {
            this.prefillTps = tps;
            return this;
        }

        public Builder decodeTps(double tps) {
            this.decodeTps = tps;
            return this;
        }

        public Builder models(List<String> models) {
            this.models = models;
            return this;
        }

        public Builder models(String... models) {
            return models(List.of(models));
        }

        public Builder wrongFactRate(double rate) {
            this.wrongFactRate = rate;
            return this;
        }

        public Builder fault(Fault fault, double rate) {
            faultRates.put(fault, rate);
            return this;
        }

        public Builder hang(Duration hang) {
            this.hang = hang;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder flavour(Flavour flavour) {
            this.flavour = flavour;
            return this;
        }

        /** Parameters one call answers (0: a third of the chunk's; {@link Integer#MAX_VALUE}: all). */
        public Builder factsPerCall(int factsPerCall) {
            this.factsPerCall = factsPerCall;
            return this;
        }

        public SimulatorConfig build() {
            return new SimulatorConfig(host, port, slots, maxQueue, prefillTps, decodeTps, models, wrongFactRate,
                    faultRates, hang, seed, flavour, factsPerCall);
        }
    }
}
