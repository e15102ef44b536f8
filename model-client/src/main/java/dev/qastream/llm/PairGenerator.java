package dev.qastream.llm;

import dev.qastream.schemas.Chunk;

/**
 * Turns one chunk into question/answer pairs: one implementation per backend (builtin extractive,
 * ollama, openai). One call of {@link #generate} is one model call (or one extractive pass); the worker
 * around it owns retries, slots, revisions, caching and the transaction.
 */
public interface PairGenerator {

    /** Pairs for one chunk, in a stable order for the same chunk text (slot i = i-th pair). */
    Generation generate(Chunk chunk, String tier) throws GenerationException;

    /** Backend name written into each pair: "extractive", "ollama", "openai". */
    String backend();

    /** Model name written into each pair, e.g. "qwen3:8b" or "extractive-v1". */
    String model();

    /** Template id + hash of the prompt text; changes whenever the prompt changes. */
    String promptVersion();

    /**
     * Every generation parameter besides the model and the prompt that changes the output (temperature,
     * max tokens, pairs target, thinking), as a canonical string: part of the generation cache key.
     */
    default String parameters() {
        return "";
    }
}
