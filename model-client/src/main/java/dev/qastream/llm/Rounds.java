package dev.qastream.llm;

/**
 * Pair slots by round: the first pass (round 0) fills slots from 0, the n-th coverage follow-up of a chunk
 * revision fills slots {@code n*100 .. n*100+99}, so no round ever writes over, or removes, another's pairs.
 */
public final class Rounds {
    public static final int SLOTS_PER_ROUND = 100;

    private Rounds() {
    }

    /** The first slot of a round. */
    public static int firstSlot(int round) {
        return Math.max(0, round) * SLOTS_PER_ROUND;
    }

    /** The round a slot belongs to. */
    public static int roundOf(int slot) {
        return Math.max(0, slot) / SLOTS_PER_ROUND;
    }
}
