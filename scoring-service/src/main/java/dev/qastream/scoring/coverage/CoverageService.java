package dev.qastream.scoring.coverage;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.ServiceMain;
import dev.qastream.runtime.StreamsService;
import dev.qastream.runtime.kafka.Topics;

import java.time.Duration;
import java.util.List;

/**
 * The coverage stage ({@code ./pipeline service coverage}; in the embedded stack beside scoring): which facts of
 * each document accepted pairs cover, on coverage.facts and coverage.documents, and follow-up requests for the
 * facts still uncovered ({@link CoverageTopology}). Settings: {@code coverage.*} ({@link CoverageSettings}).
 */
public final class CoverageService extends StreamsService {
    public static final String APP_ID = "qastream-coverage";
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(30);

    /** Runs this service alone against the cluster and registry in the configuration. */
    public static void main(String[] args) {
        ServiceMain.run(args, CoverageService::new);
    }

    private final CoverageMetrics metrics;

    public CoverageService(ServiceContext ctx) {
        this(ctx, new CoverageMetrics(ctx.meters()));
    }

    private CoverageService(ServiceContext ctx, CoverageMetrics metrics) {
        super("coverage", APP_ID, CoverageTopology.build(ctx.topics(), CoverageSettings.from(ctx.config()), metrics),
                ctx.kafka().streams(APP_ID, Topics.COVERAGE_DLQ, TRANSACTION_TIMEOUT),
                List.of(Topics.INGEST_CHUNKS, Topics.SCORING_SCORED, APP_ID + "-" + CoverageTopology.REPARTITION + "-repartition"),
                ctx.meters());
        this.metrics = metrics;
    }

    /** Rounds not complete yet: their follow-up (if any) is still to come, though no lag shows it. */
    @Override
    public long inFlight() {
        return metrics.pendingRounds();
    }
}
