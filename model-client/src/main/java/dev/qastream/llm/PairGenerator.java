package dev.qastream.llm;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.FocusFact;

import java.util.List;

/**
 * Turns one chunk into question/answer pairs: one implementation per backend (builtin extractive,
 * ollama, openai). One call of {@link #generate} is one model call (or one extractive pass); the worker
 * around it owns retries, slots, revisions, caching and the transaction.
 */
public interface PairGenerator {

    /** Pairs for one chunk, in a stable order for the same chunk text (slot i = i-th pair). */
    Generation generate(Chunk chunk, String tier) throws GenerationException;

    /**
     * Pairs for a coverage follow-up: the facts in {@code focus} (still uncovered) are asked about first. With an
     * empty focus, exactly {@link #generate(Chunk, String)}. A generator that cannot take a focus answers as on
     * the first pass.
     */
    default Generation generate(Chunk chunk, String tier, List<FocusFact> focus) throws GenerationException {
        return generate(chunk, tier);
    }

    /** The prompt version of a follow-up (a request with a focus); the first pass's when the focus changes nothing. */
    default String focusPromptVersion() {
        return promptVersion();
    }

    /** The generation parameters of a follow-up, for its cache key. */
    default String focusParameters() {
        return parameters();
    }

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
