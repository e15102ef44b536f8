package dev.qastream.scoring;

/**
 * Combines the scores of a pair into one overall score and decides acceptance.
 * Weights per DESIGN.md: structural 0.3, semantic 0.4 (mean of coherence and relevance), accuracy 0.3.
 * A score not computed yet (null) drops out and the remaining weights are renormalised, so with no
 * semantic scores the overall score is the structural score alone rather than being capped at 0.3.
 */
public record AcceptancePolicy(double threshold, double structuralWeight, double semanticWeight, double accuracyWeight) {
    public static final double DEFAULT_THRESHOLD = 0.75;

    public AcceptancePolicy {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], was " + threshold);
        }
        if (structuralWeight <= 0 || semanticWeight < 0 || accuracyWeight < 0) {
            throw new IllegalArgumentException("weights must be non-negative and the structural weight positive");
        }
    }

    public AcceptancePolicy(double threshold) {
        this(threshold, 0.3, 0.4, 0.3);
    }

    public static AcceptancePolicy defaults() {
        return new AcceptancePolicy(DEFAULT_THRESHOLD);
    }

    /** Weighted overall score in [0, 1]; each of coherence, relevance, accuracy may be null (not scored). */
    public double overall(double structural, Double coherence, Double relevance, Double accuracy) {
        if (coherence == null && relevance == null && accuracy == null) {
            return clamp(structural); // exact, so a structural 0.75 meets a 0.75 threshold
        }
        double sum = structuralWeight * clamp(structural);
        double weights = structuralWeight;
        Double semantic = mean(coherence, relevance);
        if (semantic != null) {
            sum += semanticWeight * clamp(semantic);
            weights += semanticWeight;
        }
        if (accuracy != null) {
            sum += accuracyWeight * clamp(accuracy);
            weights += accuracyWeight;
        }
        return clamp(sum / weights);
    }

    public boolean accepts(double overall) {
        return overall >= threshold;
    }

    private static Double mean(Double a, Double b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : (a + b) / 2;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
