package dev.qastream.generation;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;

import java.util.List;

/** Turns one chunk into question/answer pairs; one implementation per backend (extractive, ollama, openai). */
public interface PairGenerator {

    /** Pairs for one chunk; slots 0..n-1 are stable for the same chunk text so re-generation overwrites the same keys. */
    List<QaPair> generate(Chunk chunk, String tier, long nowMs) throws GenerationException;

    /** Backend name written into each pair, e.g. "extractive". */
    String backend();

    /** Model name written into each pair, e.g. "extractive-v1". */
    String model();

    /** Changes whenever the prompts/templates change, so a replay can tell stale pairs from current ones. */
    String promptVersion();
}
