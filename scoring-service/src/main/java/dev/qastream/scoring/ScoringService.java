package dev.qastream.scoring;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.ServiceMain;
import dev.qastream.runtime.StreamsService;
import dev.qastream.runtime.config.Config;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.ScoredPair;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Runs the scoring topology; counts accepted and rejected pairs, cross-document conflicts, and diversity. */
public final class ScoringService extends StreamsService {
    public static final String APP_ID = "qastream-scoring";
    private static final int MAX_DOCUMENT_GAUGES = 1000;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ScoringService.class);

    private final Diversity diversity;

    /** Runs this service alone against the cluster and registry in the configuration. */
    public static void main(String[] args) {
        ServiceMain.run(args, ScoringService::new);
    }

    public ScoringService(ServiceContext ctx) {
        this(ctx, new Diversity());
    }

    private ScoringService(ServiceContext ctx, Diversity diversity) {
        super("scoring", APP_ID, ScoringTopology.build(ctx.topics(), scorer(ctx), metrics(ctx.meters(), diversity),
                        Batching.from(ctx.config())),
                withCatalogueTopic(ctx), List.of(Topics.GENERATION_PAIRS, Topics.INGEST_CHUNKS,
                        APP_ID + "-pairs-by-chunk-repartition", APP_ID + "-scored-by-document-repartition"), ctx.meters());
        this.diversity = diversity;
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

    private static ScoringListener metrics(MeterRegistry meters, Diversity diversity) {
        Counter accepted = Counter.builder("qastream.scoring.pairs").tag("outcome", "accepted").register(meters);
        Counter rejected = Counter.builder("qastream.scoring.pairs").tag("outcome", "rejected").register(meters);
        // A removal (chunk regenerated with fewer pairs, or deleted) is not a judged pair: counted apart.
        Counter removed = Counter.builder("qastream.scoring.pairs").tag("outcome", "removed").register(meters);
        Counter duplicates = Counter.builder("qastream.scoring.duplicates").register(meters);
        Counter conflicts = Counter.builder("qastream.scoring.conflicts")
                .description("distinct cross-document conflicts (default, range or MO class of one parameter)").register(meters);
        Set<String> seenConflicts = ConcurrentHashMap.newKeySet();
        Map<String, Counter> types = new ConcurrentHashMap<>();
        Gauge.builder("qastream.scoring.diversity", diversity, d -> d.overall().score())
                .description("question-type entropy and embedding spread of the accepted pairs, in [0, 1]").register(meters);
        Set<String> documents = ConcurrentHashMap.newKeySet();
        return (ScoredPair s, float[] vector) -> {
            if (s.getPair().getRemoved()) {
                removed.increment();
                diversity.record(s, vector);
                return;
            }
            (s.getAccepted() ? accepted : rejected).increment();
            if (!s.getAccepted()) {
                String reason = RejectionReasons.category(s);
                meters.counter("qastream.scoring.rejections", "reason", reason).increment();
            }
            if (s.getDuplicateOf() != null) {
                duplicates.increment();
            }
            for (String flag : s.getFlags()) {
                if (flag.startsWith("conflict:") && seenConflicts.add(flag)) {
                    conflicts.increment();
                }
            }
            if (s.getAccepted()) {
                String type = QuestionTypes.of(s.getPair());
                types.computeIfAbsent(type, t -> Counter.builder("qastream.scoring.question.types").tag("type", t)
                        .register(meters)).increment();
            }
            diversity.record(s, vector);
            String doc = s.getPair().getDocumentId();
            // One gauge per document, up to a bound that keeps the metrics endpoint readable.
            if (s.getAccepted() && documents.size() < MAX_DOCUMENT_GAUGES && documents.add(doc)) {
                Gauge.builder("qastream.scoring.document.diversity", diversity, d -> d.score(doc)).tag("document", doc)
                        .register(meters);
            }
        };
    }

    /** The catalogue topic is created with the other topics (Topics.catalogue) before any service starts. */
    private static Map<String, Object> withCatalogueTopic(ServiceContext ctx) {
        return ctx.kafka().streams(APP_ID);
    }
}
