package dev.qastream.scoring.coverage;

import dev.qastream.schemas.DocumentCoverage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * qastream.coverage.*: facts, covered facts and their ratio over the documents this instance holds, the mean
 * diversity of their accepted pairs, and the follow-up rounds requested.
 */
public final class CoverageMetrics implements CoverageListener {
    private final Map<String, DocumentCoverage> documents = new ConcurrentHashMap<>();
    private final Counter followUps;
    private final java.util.concurrent.atomic.AtomicLong pending = new java.util.concurrent.atomic.AtomicLong();

    public CoverageMetrics(MeterRegistry meters) {
        Gauge.builder("qastream.coverage.facts", this, m -> m.facts()).description("facts of the documents held").register(meters);
        Gauge.builder("qastream.coverage.covered", this, m -> m.covered())
                .description("facts an accepted pair covers").register(meters);
        Gauge.builder("qastream.coverage.ratio", this, m -> m.ratio()).description("covered facts / facts").register(meters);
        Gauge.builder("qastream.coverage.documents", documents, Map::size).description("documents with coverage").register(meters);
        Gauge.builder("qastream.coverage.diversity", this, m -> m.diversity())
                .description("mean question-type diversity of the documents' accepted pairs").register(meters);
        Gauge.builder("qastream.coverage.pending.rounds", pending, java.util.concurrent.atomic.AtomicLong::get)
                .description("chunks whose latest round is not complete yet").register(meters);
        followUps = Counter.builder("qastream.coverage.followups").description("follow-up rounds requested").register(meters);
    }

    @Override
    public void document(String documentId, DocumentCoverage coverage) {
        if (coverage == null) {
            documents.remove(documentId);
        } else {
            documents.put(documentId, coverage);
        }
    }

    @Override
    public void followUp(String chunkId, int round) {
        followUps.increment();
    }

    @Override
    public void pendingRounds(long delta) {
        pending.addAndGet(delta);
    }

    /** Chunks whose latest round is not complete yet: a follow-up request may still come from them. */
    public long pendingRounds() {
        return Math.max(0, pending.get());
    }

    long facts() {
        return documents.values().stream().mapToLong(DocumentCoverage::getFacts).sum();
    }

    long covered() {
        return documents.values().stream().mapToLong(DocumentCoverage::getCovered).sum();
    }

    double ratio() {
        long f = facts();
        return f == 0 ? 0 : (double) covered() / f;
    }

    double diversity() {
        return documents.values().stream().mapToDouble(DocumentCoverage::getDiversity).average().orElse(0);
    }
}
