package dev.qastream.scoring;

import java.util.List;

/** Structural score in [0, 1] and one short reason per failed check (empty when every check passed). */
public record StructuralScore(double score, List<String> reasons) {
    public StructuralScore {
        if (score < 0 || score > 1 || Double.isNaN(score)) {
            throw new IllegalArgumentException("score must be in [0, 1], was " + score);
        }
        reasons = List.copyOf(reasons);
    }
}
