package dev.qastream.scoring;

import dev.qastream.runtime.Health;
import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.ServiceMain;
import dev.qastream.runtime.StreamsService;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs the scoring topology, with its meters ({@link ScoringMetrics}). With the judge enabled, its model calls are
 * made by the judge stage ({@link dev.qastream.scoring.judge.JudgeService}), which must run too: in the embedded
 * stack beside this, or as {@code ./pipeline service judge}.
 */
public final class ScoringService extends StreamsService {
    public static final String APP_ID = "qastream-scoring";
    /** Deduplication, an app of its own on its own thread ({@link DedupTopology}). */
    public static final String DEDUP_APP_ID = "qastream-scoring-dedup";
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(30);
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);
    static final int MAX_POLL_RECORDS = 50;
    static final int MAX_PARTITION_FETCH_BYTES = 32 * 1024;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ScoringService.class);

    private final Diversity diversity;
    private final ScoringMetrics metrics;
    private final StreamsService dedup;

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
        super("scoring", APP_ID, ScoringTopology.buildScoring(ctx.topics(), scorer, metrics, Batching.from(ctx.config())),
                withCatalogueTopic(ctx), List.of(Topics.GENERATION_PAIRS, Topics.INGEST_CHUNKS, Topics.SCORING_JUDGEMENTS,
                        APP_ID + "-pairs-by-chunk-repartition", APP_ID + "-scored-by-pair-repartition"), ctx.meters());
        this.diversity = diversity;
        this.metrics = metrics;
        this.dedup = new StreamsService("scoring-dedup", DEDUP_APP_ID,
                DedupTopology.build(ctx.topics(), scorer.settings(), metrics),
                ctx.kafka().streams(DEDUP_APP_ID, Topics.SCORING_DLQ, TRANSACTION_TIMEOUT),
                List.of(Topics.SCORING_CANDIDATES), ctx.meters());
    }

    @Override
    public void start() {
        dedup.start();
        super.start();
    }

    @Override
    public boolean healthy() {
        return super.healthy() && dedup.healthy();
    }

    /** The worse of the two apps' health, with the reasons of both. */
    @Override
    public Health health() {
        return Health.combine(List.of(new Health.Named("scoring", super.health()), new Health.Named("dedup", dedup.health())));
    }

    @Override
    public Map<String, List<String>> consumerGroups() {
        Map<String, List<String>> groups = new java.util.LinkedHashMap<>(super.consumerGroups());
        groups.putAll(dedup.consumerGroups());
        return groups;
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            dedup.close();
        }
    }

    /** Pairs waiting for their batch (or in one being scored), or for the judge: consumer lag does not show them. */
    @Override
    public long inFlight() {
        return metrics.waiting();
    }

    /** Question types and diversity of the accepted pairs so far, for a summary. */
    public Diversity diversity() {
        return diversity;
    }

    static PairScorer scorer(ServiceContext ctx) {
        PairScorer scorer = scorer(ctx.config(), log::warn);
        if (scorer.judge() != PairJudge.NONE) {
            log.info("scoring with the judge: pairs wait for its verdicts, which the judge stage gives "
                    + "(in the embedded stack, or ./pipeline service judge)");
        }
        return scorer;
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

    /**
     * The catalogue topic is created with the other topics (Topics.catalogue) before any service starts.
     *
     * <p>Under a backlog one partition must not hold the thread for minutes: the consumer hands out one fetched
     * partition's records after the other, and a thread polls again only once it has processed what it was
     * given, so with the defaults (1 MB a partition, 1000 records a poll) a few thousand pairs, scored at tens
     * to hundreds a second, kept every other partition waiting, the scored pairs on their way to deduplication
     * included, until Streams' own limit (half of max.poll.interval.ms, 150 s). Small fetches
     * ({@link #MAX_PARTITION_FETCH_BYTES}; a bigger record batch, such as ingest's chunks, still comes whole) and
     * small polls ({@link #MAX_POLL_RECORDS}) let the partitions take turns every few hundred pairs.
     *
     * <p>A transaction holds a process loop of each task with their punctuations, so embedding batches (bounded
     * by count; chunks ahead of their pairs by time): seconds on a machine busy with other work, too close to
     * Streams' 10 s, hence {@link #TRANSACTION_TIMEOUT}. Each commit writes markers to every partition the
     * transaction touched (changelogs, both repartition topics, the catalogue, the output), which a busy broker
     * takes its time over: once a second ({@link #COMMIT_INTERVAL}) rather than five times leaves the thread its
     * time for scoring; a pair waits longer than that for its batch anyway.
     */
    private static Map<String, Object> withCatalogueTopic(ServiceContext ctx) {
        Map<String, Object> p = ctx.kafka().streams(APP_ID, Topics.SCORING_DLQ, TRANSACTION_TIMEOUT);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL.toMillis());
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), MAX_POLL_RECORDS);
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), MAX_PARTITION_FETCH_BYTES);
        return p;
    }
}
