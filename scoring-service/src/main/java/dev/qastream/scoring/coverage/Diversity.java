package dev.qastream.scoring.coverage;

import java.util.Map;

/**
 * Diversity of a document's accepted pairs: the entropy of their question types, normalised to [0, 1] by the
 * largest entropy that many pairs could reach (log of min(pairs, types)). 1: the pairs spread over as many types
 * as they can, evenly; 0: one type only (or fewer than two pairs). Target: above 0.8.
 */
public final class Diversity {
    private Diversity() {
    }

    public static double of(Map<String, Integer> countsByType, int types) {
        int n = countsByType.values().stream().mapToInt(Integer::intValue).sum();
        int reachable = Math.min(n, types);
        if (reachable < 2) {
            return 0;
        }
        double h = 0;
        for (int c : countsByType.values()) {
            if (c > 0) {
                double p = (double) c / n;
                h -= p * Math.log(p);
            }
        }
        return Math.round(h / Math.log(reachable) * 10_000) / 10_000.0;
    }
}
