package dev.qastream.launcher.bench;

import dev.qastream.runtime.kafka.Topics;
import dev.qastream.simulator.LlmSimulator;

import java.util.HashMap;
import java.util.Map;

/** The tier settings of a benchmark: every tier builtin, or every tier on one simulated model server. */
public final class SimulatedTiers {
    private SimulatedTiers() {
    }

    /**
     * Every tier builtin when {@code sim} is null; else every tier on it (Ollama API), its {@code slots} shared by
     * the three as with one Ollama (generation.server-slots), and each tier's max-concurrency set to them too when
     * {@code eachTierAllSlots} (so one tier alone can fill the server).
     */
    public static Map<String, String> settings(LlmSimulator sim, int slots, boolean eachTierAllSlots) {
        Map<String, String> t = new HashMap<>();
        for (String tier : Topics.TIERS) {
            t.put("tiers." + tier + ".backend", sim == null ? "builtin" : "ollama");
            if (sim != null) {
                t.put("tiers." + tier + ".base-url", sim.baseUrl());
                if (eachTierAllSlots) {
                    t.put("tiers." + tier + ".max-concurrency", String.valueOf(slots));
                }
            }
        }
        if (sim != null) {
            t.put("generation.server-slots", String.valueOf(slots));
        }
        return t;
    }
}
