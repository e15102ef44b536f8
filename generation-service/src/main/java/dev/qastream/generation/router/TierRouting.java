package dev.qastream.generation.router;

import dev.qastream.runtime.config.Config;

/** Complexity thresholds: below {@code fastBelow} the fast tier, below {@code balancedBelow} balanced, else quality. */
public record TierRouting(double fastBelow, double balancedBelow) {

    public TierRouting {
        if (!(0 <= fastBelow && fastBelow <= balancedBelow && balancedBelow <= 1)) {
            throw new IllegalArgumentException("routing thresholds must satisfy 0 <= fast-below <= balanced-below <= 1, got "
                    + fastBelow + " and " + balancedBelow);
        }
    }

    public static TierRouting from(Config config) {
        return new TierRouting(config.decimal("routing.fast-below"), config.decimal("routing.balanced-below"));
    }

    public String tierFor(double complexity) {
        if (complexity < fastBelow) {
            return "fast";
        }
        return complexity < balancedBelow ? "balanced" : "quality";
    }
}
