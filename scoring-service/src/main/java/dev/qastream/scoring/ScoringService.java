package dev.qastream.scoring;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.ServiceMain;
import dev.qastream.runtime.StreamsService;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.Topics;

import java.util.List;
import java.util.Map;

/** Runs the scoring topology, with its meters ({@link ScoringMetrics}). */
public final class ScoringService extends StreamsService {
    public static final String APP_ID = "qastream-scoring";
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ScoringService.class);

    private final Diversity diversity;
    private final ScoringMetrics metrics;

    /** Runs this service alone against the cluster and registry in the configuration. */
    public static void main(String[] args) {
        ServiceMain.run(args, ScoringService::new);
    }

    public ScoringService(ServiceContext ctx) {
        this(ctx, scorer(ctx));
    }

    /** With these scorers (e.g. a slower embedder in a test). */
    ScoringService(ServiceContext ctx, PairScorer scorer) {
        this(ctx, scorer, new Diversity());
    }

    private ScoringService(ServiceContext ctx, PairScorer scorer, Diversity diversity) {
        this(ctx, scorer, diversity, new ScoringMetrics(ctx.meters(), diversity));
    }

    private ScoringService(ServiceContext ctx, PairScorer scorer, Diversity diversity, ScoringMetrics metrics) {
        super("scoring", APP_ID, ScoringTopology.build(ctx.topics(), scorer, metrics, Batching.from(ctx.config())),
                withCatalogueTopic(ctx), List.of(Topics.GENERATION_PAIRS, Topics.INGEST_CHUNKS,
                        APP_ID + "-pairs-by-chunk-repartition", APP_ID + "-scored-by-document-repartition"), ctx.meters());
        this.diversity = diversity;
        this.metrics = metrics;
    }

    /** Pairs waiting for their batch (or in one being scored): consumer lag does not show them. */
    @Override
    public long inFlight() {
        return metrics.waiting();
    }

    /** Question types and diversity of the accepted pairs so far, for a summary. */
    public Diversity diversity() {
        return diversity;
    }

    static PairScorer scorer(ServiceContext ctx) {
        return scorer(ctx.config(), log::warn);
    }

    /** The scorers as configured, the judge included when enabled: the service's, and the score command's. */
    public static PairScorer scorer(Config config, java.util.function.Consumer<String> warn) {
        ScoringSettings settings = ScoringSettings.from(config);
        PairJudge judge = settings.judgeEnabled()
                ? LlmJudge.forTier(config, settings.judgeTier(), System.getenv(), warn)
                : PairJudge.NONE;
        return new PairScorer(new StructuralScorer(), new SemanticScorer(MiniLmEmbedder.shared(), settings.domain()),
                settings, judge, System::currentTimeMillis);
    }

    /** The catalogue topic is created with the other topics (Topics.catalogue) before any service starts. */
    private static Map<String, Object> withCatalogueTopic(ServiceContext ctx) {
        return ctx.kafka().streams(APP_ID);
    }
}
