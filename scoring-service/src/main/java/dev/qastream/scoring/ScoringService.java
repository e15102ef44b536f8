package dev.qastream.scoring;

import dev.qastream.runtime.ServiceContext;
import dev.qastream.runtime.ServiceMain;
import dev.qastream.runtime.StreamsService;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.streams.kstream.ValueJoiner;

import java.util.List;

/** Runs the scoring topology and counts accepted and rejected pairs. */
public final class ScoringService extends StreamsService {
    public static final String APP_ID = "qastream-scoring";

    /** Runs this service alone against the cluster and registry in the configuration. */
    public static void main(String[] args) {
        ServiceMain.run(args, ScoringService::new);
    }

    public ScoringService(ServiceContext ctx) {
        super("scoring", APP_ID, ScoringTopology.build(ctx.topics(), countingScorer(ctx)),
                ctx.kafka().streams(APP_ID),
                List.of(Topics.GENERATION_PAIRS, Topics.INGEST_CHUNKS, APP_ID + "-pairs-by-chunk-repartition"));
    }

    private static ValueJoiner<QaPair, Chunk, ScoredPair> countingScorer(ServiceContext ctx) {
        PairScorer scorer = new PairScorer(new StructuralScorer(),
                new AcceptancePolicy(ctx.config().decimal("scoring.accept-threshold")), System::currentTimeMillis);
        Counter accepted = Counter.builder("qastream.scoring.pairs").tag("outcome", "accepted").register(ctx.meters());
        Counter rejected = Counter.builder("qastream.scoring.pairs").tag("outcome", "rejected").register(ctx.meters());
        return (pair, chunk) -> {
            ScoredPair s = scorer.score(pair, chunk);
            (s.getAccepted() ? accepted : rejected).increment();
            return s;
        };
    }
}
