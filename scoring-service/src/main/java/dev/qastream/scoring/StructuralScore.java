package dev.qastream.scoring;

import java.util.List;

/**
 * Structural score in [0, 1] and one short reason per failed check (empty when every check passed).
 *
 * @param invented    parameter or counter names that neither the chunk nor anything ingested has
 * @param instruction a phrase addressing the model rather than the reader, or null
 */
public record StructuralScore(double score, List<String> reasons, List<String> invented, String instruction) {
    public StructuralScore {
        if (score < 0 || score > 1 || Double.isNaN(score)) {
            throw new IllegalArgumentException("score must be in [0, 1], was " + score);
        }
        reasons = List.copyOf(reasons);
        invented = List.copyOf(invented);
    }

    public StructuralScore(double score, List<String> reasons) {
        this(score, reasons, List.of(), null);
    }
}
