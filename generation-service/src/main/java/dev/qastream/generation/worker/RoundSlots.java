package dev.qastream.generation.worker;

import dev.qastream.llm.Rounds;
import dev.qastream.runtime.config.Config;

import java.util.ArrayList;
import java.util.List;

/**
 * Which pair slots each round of a chunk revision may fill: the first pass (round 0) slots 0 .. max-pairs-per-chunk-1,
 * the n-th coverage follow-up slots n*100 .. n*100 + follow-up-max-pairs - 1. A result removes only the slots of its own
 * round that it does not fill; a deleted chunk's removals clear the slots of every round up to {@code followUpRounds}.
 */
public record RoundSlots(int firstPassPairs, int followUpPairs, int followUpRounds) {

    public RoundSlots {
        if (firstPassPairs < 1 || followUpPairs < 1 || followUpPairs > Rounds.SLOTS_PER_ROUND || followUpRounds < 0) {
            throw new IllegalArgumentException("pairs per round must be in 1.." + Rounds.SLOTS_PER_ROUND
                    + " and follow-up rounds at least 0");
        }
    }

    public static RoundSlots of(Config config) {
        return new RoundSlots(Math.min(Rounds.SLOTS_PER_ROUND, config.integer("generation.max-pairs-per-chunk")),
                Math.clamp(config.integer("generation.follow-up-max-pairs"), 1, Rounds.SLOTS_PER_ROUND),
                Math.max(0, config.integer("generation.follow-up-rounds")));
    }

    /** How many pairs a result of this round may hold. */
    public int capacity(int round) {
        return round == 0 ? firstPassPairs : followUpPairs;
    }

    /** Every slot a revision of a chunk may have filled, all rounds. */
    public List<Integer> allSlots() {
        List<Integer> slots = new ArrayList<>();
        for (int round = 0; round <= followUpRounds; round++) {
            for (int i = 0; i < capacity(round); i++) {
                slots.add(Rounds.firstSlot(round) + i);
            }
        }
        return slots;
    }
}
