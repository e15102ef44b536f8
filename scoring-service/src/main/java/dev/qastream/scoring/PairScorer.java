package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.schemas.TermTiers;
import dev.qastream.scoring.coverage.FactConfirmation;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * Scores one pair against the chunk it was generated from, on its own merits: structure, facts, embeddings
 * and (when enabled) a judge. Deduplication against other pairs happens afterwards ({@link Deduplicator}).
 *
 * <p>A pair is accepted when its overall score meets the threshold and nothing rejects it outright: a
 * contradiction of the document, or text that addresses the model.
 */
public final class PairScorer {
    public static final String REMOVED_REASON = "removed (chunk regenerated or deleted)";
    static final double MIN_COHERENCE_WITHOUT_SUBJECT = 0.6;
    /**
     * The least coherence and relevance of a pair whose answer states a value the document confirms (its chunk or
     * its header): "The feature is obsolete." answers "What is the feature state of X?" whatever a small embedding
     * model makes of five words, so a confirmed fact counts for more than embedding similarity.
     */
    static final double CONFIRMED_FACT_SEMANTIC = 0.8;

    private final StructuralScorer structural;
    private final FactChecker facts = new FactChecker();
    private final SemanticScorer semantic;
    private final ScoringSettings settings;
    private final PairJudge judge;
    private final LongSupplier clock;

    public PairScorer(StructuralScorer structural, SemanticScorer semantic, ScoringSettings settings, PairJudge judge,
                      LongSupplier clock) {
        this.structural = structural;
        this.semantic = semantic;
        this.settings = settings;
        this.judge = settings.judgeEnabled() ? judge : PairJudge.NONE;
        this.clock = clock;
    }

    /** Structural and fact scores only, no embeddings: for tests of the rules. */
    public PairScorer(StructuralScorer structural, AcceptancePolicy policy, LongSupplier clock) {
        this(structural, null, new ScoringSettings(policy, ScoringSettings.DEFAULT_NEAR_DUPLICATE, List.of(), false,
                "quality", 0.25, 4), PairJudge.NONE, clock);
    }

    public SemanticScorer semantic() {
        return semantic;
    }

    public ScoringSettings settings() {
        return settings;
    }

    /** The judge in use: {@link PairJudge#NONE} when disabled. */
    public PairJudge judge() {
        return judge;
    }

    /** Scores without embeddings (the rules alone). */
    public ScoredPair score(QaPair pair, Chunk chunk) {
        return score(pair, chunk, Catalogue.EMPTY, null, null).scored();
    }

    /**
     * @param vectors     the pair's question and answer embedded, or null to score without embeddings
     * @param chunkVector the chunk's embedding (computed once per chunk version by the caller), or null
     */
    public Scored score(QaPair pair, Chunk chunk, Catalogue catalogue, SemanticScorer.PairVectors vectors,
                        float[] chunkVector) {
        return score(pair, chunk, catalogue, vectors, chunkVector, null);
    }

    /** @param verdict the judge's verdict, already asked; null: ask here if enabled (never on a stream thread) */
    public Scored score(QaPair pair, Chunk chunk, Catalogue catalogue, SemanticScorer.PairVectors vectors,
                        float[] chunkVector, PairJudge.Verdict verdict) {
        if (pair.getRemoved()) {
            return Scored.removal(removed(pair));
        }
        if (chunk == null) {
            return unscored(pair, "source chunk " + pair.getChunkId() + " no longer exists");
        }
        if (!chunk.getChecksum().equals(pair.getChunkChecksum())) {
            return unscored(pair, "generated from an older version of chunk " + pair.getChunkId());
        }
        Unjudged merits = merits(pair, chunk, catalogue, vectors, chunkVector);
        if (verdict == null) {
            verdict = judge == PairJudge.NONE ? PairJudge.Verdict.NOT_ASKED : judge.safeVerdict(pair, chunk);
        }
        return judged(merits, verdict);
    }

    /**
     * A pair scored on everything but the judge: its overall score on merit alone (not rounded) and its reasons
     * so far, with whether something rejects it outright whatever the judge says. {@link #judged} finishes it.
     */
    public record Unjudged(Scored merits, boolean vetoed) {
    }

    /**
     * Scores a pair made from the current version of {@code chunk} on its merits; the judge's verdict is mixed in
     * by {@link #judged}, now or when it arrives.
     *
     * @param vectors     the pair's question and answer embedded, or null to score without embeddings
     * @param chunkVector the chunk's embedding (computed once per chunk version by the caller), or null
     */
    public Unjudged merits(QaPair pair, Chunk chunk, Catalogue catalogue, SemanticScorer.PairVectors vectors,
                           float[] chunkVector) {
        return merits(rules(pair, chunk, catalogue), vectors, chunkVector);
    }

    /** What the rules find in a pair (structure and facts): all of its scoring that needs no embedding. */
    public record Rules(QaPair pair, Chunk chunk, StructuralScore structural, FactCheck facts) {
    }

    /** The rules' part of {@link #merits}: it can run while the pair's texts are being embedded. */
    public Rules rules(QaPair pair, Chunk chunk, Catalogue catalogue) {
        return new Rules(pair, chunk, structural.score(pair, chunk, catalogue),
                facts.check(pair.getQuestion(), pair.getAnswer(), chunk, catalogue));
    }

    /** {@link #merits(QaPair, Chunk, Catalogue, SemanticScorer.PairVectors, float[])} from the rules' findings. */
    public Unjudged merits(Rules rules, SemanticScorer.PairVectors vectors, float[] chunkVector) {
        QaPair pair = rules.pair();
        Chunk chunk = rules.chunk();
        StructuralScore s = rules.structural();
        FactCheck f = rules.facts();
        List<String> reasons = new ArrayList<>(s.reasons());
        reasons.addAll(f.reasons());
        double accuracy = s.invented().isEmpty() ? f.accuracy() : 0;
        Double coherence = null;
        Double relevance = null;
        List<String> semanticReasons = List.of();
        if (vectors != null && chunkVector != null && semantic != null) {
            SemanticScorer.Semantic sem = semantic.score(vectors, chunkVector);
            coherence = sem.coherence();
            relevance = sem.relevance();
            semanticReasons = sem.reasons();
        }
        FactConfirmation confirmation = FactConfirmation.of(pair.getQuestion(), pair.getAnswer(), chunk, f, relevance);
        boolean factConfirmed = confirmation.valueConfirmed() && f.reasons().isEmpty() && s.invented().isEmpty();
        if (factConfirmed) {
            accuracy = 1.0;
            if (coherence != null) {
                coherence = Math.max(coherence, CONFIRMED_FACT_SEMANTIC);
                relevance = Math.max(relevance, CONFIRMED_FACT_SEMANTIC);
                semanticReasons = List.of();
            }
        }
        reasons.addAll(semanticReasons);
        double overall = settings.policy().overall(s.score(), coherence, relevance, accuracy);
        // An answer that never names what the question asks about must at least be close to the question.
        boolean elsewhere = coherence != null && coherence < MIN_COHERENCE_WITHOUT_SUBJECT
                && s.reasons().stream().anyMatch(r -> r.startsWith(StructuralScorer.MISSING_SUBJECT));
        if (elsewhere) {
            reasons.add("answer is about something else than the question");
        }
        boolean vetoed = s.instruction() != null || !f.contradictions().isEmpty() || elsewhere;
        ScoredPair scored = ScoredPair.newBuilder()
                .setPair(pair)
                .setStructural(s.score())
                .setCoherence(coherence)
                .setRelevance(relevance)
                .setAccuracy(accuracy)
                .setOverall(overall)
                .setAccepted(settings.policy().accepts(overall) && !vetoed)
                .setReasons(reasons)
                .setDocument(chunk.getDocument())
                .setTerms(chunk.getTerms())
                .setScoredAtMs(clock.getAsLong())
                .setFlags(f.flags())
                .setConfirmedFacts(List.copyOf(confirmation.confirmed()))
                .build();
        String both = pair.getQuestion() + "\n" + pair.getAnswer();
        return new Unjudged(new Scored(scored, Scored.normalizeQuestion(pair.getQuestion()), Scored.names(both),
                vectors == null ? new float[0] : vectors.both()), vetoed);
    }

    /** The pair's final scores: its merits with the judge's score mixed in by its weight, or without one. */
    public Scored judged(Unjudged unjudged, PairJudge.Verdict verdict) {
        ScoredPair merits = unjudged.merits().scored();
        double overall = merits.getOverall();
        OptionalDouble opinion = verdict.score();
        Double judged = null;
        if (opinion.isPresent()) {
            judged = Math.max(0, Math.min(1, opinion.getAsDouble()));
            overall = (1 - settings.judgeWeight()) * overall + settings.judgeWeight() * judged;
        }
        overall = Math.round(overall * 10_000) / 10_000.0;
        List<String> reasons = new ArrayList<>(merits.getReasons());
        boolean accepted = settings.policy().accepts(overall) && !unjudged.vetoed();
        if (!settings.policy().accepts(overall)) {
            reasons.add(String.format("overall score %.2f is below the threshold %.2f", overall, settings.policy().threshold()));
        }
        if (verdict.problem() != null) { // last, so that it never decides the rejection category
            reasons.add("judge unavailable: " + verdict.problem());
        }
        ScoredPair scored = ScoredPair.newBuilder(merits)
                .setOverall(overall)
                .setAccepted(accepted)
                .setReasons(reasons)
                .setJudge(judged)
                .build();
        Scored m = unjudged.merits();
        return new Scored(scored, m.normalizedQuestion(), m.names(), m.vector());
    }

    /** A removal passed through: not scored, never accepted. */
    public ScoredPair removed(QaPair pair) {
        return ScoredPair.newBuilder()
                .setPair(pair)
                .setStructural(0)
                .setOverall(0)
                .setAccepted(false)
                .setReasons(List.of(REMOVED_REASON))
                .setDocument(DocumentInfo.newBuilder().build())
                .setTerms(TermTiers.newBuilder().build())
                .setScoredAtMs(clock.getAsLong())
                .build();
    }

    private Scored unscored(QaPair pair, String reason) {
        ScoredPair s = ScoredPair.newBuilder()
                .setPair(pair)
                .setStructural(0)
                .setOverall(0)
                .setAccepted(false)
                .setReasons(List.of(reason))
                .setDocument(DocumentInfo.newBuilder().build())
                .setTerms(TermTiers.newBuilder().build())
                .setScoredAtMs(clock.getAsLong())
                .build();
        return new Scored(s, Scored.normalizeQuestion(pair.getQuestion()), Scored.names(pair.getQuestion()), new float[0]);
    }
}
