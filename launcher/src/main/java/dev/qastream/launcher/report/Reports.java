package dev.qastream.launcher.report;

import dev.qastream.runtime.kafka.Topics;

import java.util.Comparator;

/** Small shared pieces of the report. */
final class Reports {
    /** Tiers in pipeline order (fast, balanced, quality), unknown names after them alphabetically. */
    static final Comparator<String> TIER_ORDER = Comparator
            .comparingInt((String t) -> Topics.TIERS.indexOf(t) < 0 ? Topics.TIERS.size() : Topics.TIERS.indexOf(t))
            .thenComparing(Comparator.nullsLast(Comparator.naturalOrder()));

    private Reports() {
    }
}
