package dev.qastream.scoring;

import dev.qastream.runtime.config.Config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code scoring.*} settings: acceptance policy, near-duplicate threshold, the domain's reference
 * sentences and the optional judge (and how many calls the judge stage keeps in flight).
 */
public record ScoringSettings(AcceptancePolicy policy, double nearDuplicate, List<String> domain,
                              boolean judgeEnabled, String judgeTier, double judgeWeight, int judgeConcurrency,
                              DedupScope dedupScope, int pairsPerFact) {
    public static final double DEFAULT_NEAR_DUPLICATE = 0.95;

    /** Which pairs are compared for duplicates: those of one document, or of one feature (across its documents). */
    public enum DedupScope {
        DOCUMENT, FEATURE;

        static DedupScope of(String value) {
            try {
                return valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("scoring.dedup-scope must be document or feature, was '" + value + "'");
            }
        }
    }

    /** Without a limit of pairs per fact ({@code coverage.pairs-per-fact}). */
    public ScoringSettings(AcceptancePolicy policy, double nearDuplicate, List<String> domain, boolean judgeEnabled,
                           String judgeTier, double judgeWeight, int judgeConcurrency, DedupScope dedupScope) {
        this(policy, nearDuplicate, domain, judgeEnabled, judgeTier, judgeWeight, judgeConcurrency, dedupScope, 0);
    }

    /** The settings of the tests and the defaults, deduplicating by document. */
    public ScoringSettings(AcceptancePolicy policy, double nearDuplicate, List<String> domain, boolean judgeEnabled,
                           String judgeTier, double judgeWeight, int judgeConcurrency) {
        this(policy, nearDuplicate, domain, judgeEnabled, judgeTier, judgeWeight, judgeConcurrency, DedupScope.DOCUMENT);
    }

    public ScoringSettings {
        if (!(nearDuplicate > 0 && nearDuplicate <= 1)) {
            throw new IllegalArgumentException("scoring.near-duplicate must be in (0, 1], was " + nearDuplicate);
        }
        if (!(judgeWeight >= 0 && judgeWeight <= 1)) {
            throw new IllegalArgumentException("scoring.judge.weight must be in [0, 1], was " + judgeWeight);
        }
        if (pairsPerFact < 0) {
            throw new IllegalArgumentException("coverage.pairs-per-fact must be 0 (no limit) or more, was " + pairsPerFact);
        }
        if (judgeConcurrency < 1) {
            throw new IllegalArgumentException("scoring.judge.concurrency must be at least 1, was " + judgeConcurrency);
        }
        domain = List.copyOf(domain);
    }

    public static ScoringSettings defaults() {
        return new ScoringSettings(AcceptancePolicy.defaults(), DEFAULT_NEAR_DUPLICATE, builtInDomain(), false, "quality", 0.25, 4);
    }

    public static ScoringSettings from(Config c) {
        AcceptancePolicy policy = new AcceptancePolicy(c.decimal("scoring.accept-threshold"),
                c.decimal("scoring.weights.structural"), c.decimal("scoring.weights.semantic"),
                c.decimal("scoring.weights.accuracy"));
        String domainFile = c.string("scoring.domain-file").strip();
        return new ScoringSettings(policy, c.decimal("scoring.near-duplicate"),
                domainFile.isEmpty() ? builtInDomain() : readDomain(Path.of(domainFile)),
                c.bool("scoring.judge.enabled"), c.string("scoring.judge.tier"), c.decimal("scoring.judge.weight"),
                c.integer("scoring.judge.concurrency"), DedupScope.of(c.string("scoring.dedup-scope")),
                c.integer("coverage.pairs-per-fact"));
    }

    /** Reference sentences of RAN feature documentation, shipped with the service. */
    public static List<String> builtInDomain() {
        try (InputStream in = ScoringSettings.class.getResourceAsStream("/scoring-domain-ran.txt")) {
            return lines(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readDomain(Path file) {
        try {
            List<String> lines = lines(Files.readString(file));
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("scoring.domain-file " + file + " holds no sentences");
            }
            return lines;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read scoring.domain-file " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
}
