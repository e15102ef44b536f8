package dev.qastream.runtime;

import dev.qastream.schemas.TermTiers;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The technical terms of a chunk as one list, as the dataset's metadata carries them. */
public final class Terms {
    private Terms() {
    }

    /** All terms of all tiers, in tier order, without repeats. */
    public static List<String> all(TermTiers t) {
        Set<String> all = new LinkedHashSet<>();
        all.addAll(t.getTier1ExactParams());
        all.addAll(t.getTier2ConfigTerms());
        all.addAll(t.getTier3NetworkElements());
        all.addAll(t.getTier4RareTerms());
        return List.copyOf(all);
    }
}
