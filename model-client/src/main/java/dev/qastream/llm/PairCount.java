package dev.qastream.llm;

import dev.qastream.schemas.Chunk;

/**
 * How many pairs to ask of a chunk: the tier's target for a typical chunk (about 384 tokens), scaled by the
 * chunk's length, raised for chunks that list many parameters or counters (each is worth a pair), capped by
 * {@code generation.max-pairs-per-chunk}.
 */
public final class PairCount {
    static final double TYPICAL_TOKENS = 384;

    private PairCount() {
    }

    public static int forChunk(Chunk chunk, int target, int cap) {
        double byLength = target * Math.clamp(chunk.getTokenEstimate() / TYPICAL_TOKENS, 0.5, 1.5);
        int facts = (chunk.getParameters() == null ? 0 : chunk.getParameters().size())
                + (chunk.getCounters() == null ? 0 : chunk.getCounters().size());
        int wanted = (int) Math.max(Math.round(byLength), Math.min(facts, 2L * target));
        return Math.max(1, Math.min(wanted, cap));
    }
}
