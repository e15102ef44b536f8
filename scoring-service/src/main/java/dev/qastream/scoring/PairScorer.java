package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.DocumentInfo;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.schemas.TermTiers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** Scores one pair against the chunk it was generated from and decides acceptance. */
public final class PairScorer {
    private final StructuralScorer structural;
    private final AcceptancePolicy policy;
    private final LongSupplier clock;

    public PairScorer(StructuralScorer structural, AcceptancePolicy policy, LongSupplier clock) {
        this.structural = structural;
        this.policy = policy;
        this.clock = clock;
    }

    public ScoredPair score(QaPair pair, Chunk chunk) {
        if (chunk == null) {
            return rejected(pair, "source chunk " + pair.getChunkId() + " no longer exists");
        }
        if (!chunk.getChecksum().equals(pair.getChunkChecksum())) {
            return rejected(pair, "generated from an older version of chunk " + pair.getChunkId());
        }
        StructuralScore s = structural.score(pair, chunk);
        double overall = policy.overall(s.score(), null, null, null);
        List<String> reasons = new ArrayList<>(s.reasons());
        boolean accepted = policy.accepts(overall);
        if (!accepted) {
            reasons.add(String.format("overall score %.2f is below the threshold %.2f", overall, policy.threshold()));
        }
        return ScoredPair.newBuilder()
                .setPair(pair)
                .setStructural(s.score())
                .setOverall(overall)
                .setAccepted(accepted)
                .setReasons(reasons)
                .setDocument(chunk.getDocument())
                .setTerms(chunk.getTerms())
                .setScoredAtMs(clock.getAsLong())
                .build();
    }

    private ScoredPair rejected(QaPair pair, String reason) {
        return ScoredPair.newBuilder()
                .setPair(pair)
                .setStructural(0)
                .setOverall(0)
                .setAccepted(false)
                .setReasons(List.of(reason))
                .setDocument(DocumentInfo.newBuilder().build())
                .setTerms(TermTiers.newBuilder().build())
                .setScoredAtMs(clock.getAsLong())
                .build();
    }
}
