package dev.qastream.generation;

import dev.qastream.runtime.ServiceMain;

/**
 * The generation service in its own process with a slow in-process generator on every tier
 * ({@code SLOW_GENERATOR_MS} per call, two pairs per chunk): for the crash test, which kills it.
 */
public final class SlowGenerationMain {
    private SlowGenerationMain() {
    }

    public static void main(String[] args) {
        long delayMs = Long.parseLong(System.getenv().getOrDefault("SLOW_GENERATOR_MS", "300"));
        ServiceMain.run(args, ctx -> new GenerationService(ctx,
                (c, tier) -> ScriptedGenerator.answering("slow-" + tier, delayMs, 2)));
    }
}
