package dev.qastream.llm;

import java.util.List;

/**
 * What one generation call produced: the parsed pairs, the tokens it cost and the raw text the model
 * returned (null for the builtin generator). An empty list is a valid result, never a silent one: the
 * worker counts it with its reason.
 */
public record Generation(List<GeneratedPair> pairs, int tokensIn, int tokensOut, String rawOutput) {
    public Generation {
        pairs = List.copyOf(pairs);
    }

    public static Generation of(List<GeneratedPair> pairs) {
        return new Generation(pairs, 0, 0, null);
    }
}
