package dev.qastream.scoring;

import dev.qastream.schemas.ScoredPair;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scoring service's meters ({@code qastream.scoring.*}): accepted, rejected (by reason) and removed pairs,
 * duplicates, cross-document conflicts, question types, diversity, batch sizes and embedding time, judgements.
 */
final class ScoringMetrics implements ScoringListener {
    private static final int MAX_DOCUMENT_GAUGES = 1000;

    private final MeterRegistry meters;
    private final Diversity diversity;
    private final Counter accepted;
    private final Counter rejected;
    private final Counter removed;
    private final Counter duplicates;
    private final Counter conflicts;
    private final Counter unfilledRemovals;
    private final DistributionSummary batchPairs;
    private final Timer embedding;
    private final Set<String> seenConflicts = ConcurrentHashMap.newKeySet();
    private final Map<String, Counter> types = new ConcurrentHashMap<>();
    private final Map<String, Counter> judgements = new ConcurrentHashMap<>();
    private final Set<String> documents = ConcurrentHashMap.newKeySet();
    private final AtomicLong waiting = new AtomicLong();

    ScoringMetrics(MeterRegistry meters, Diversity diversity) {
        this.meters = meters;
        this.diversity = diversity;
        accepted = Counter.builder("qastream.scoring.pairs").tag("outcome", "accepted").register(meters);
        rejected = Counter.builder("qastream.scoring.pairs").tag("outcome", "rejected").register(meters);
        // A removal (chunk regenerated with fewer pairs, or deleted) is not a judged pair: counted apart.
        removed = Counter.builder("qastream.scoring.pairs").tag("outcome", "removed").register(meters);
        duplicates = Counter.builder("qastream.scoring.duplicates").register(meters);
        unfilledRemovals = Counter.builder("qastream.scoring.removals.unfilled")
                .description("removals of slots that never held a pair, dropped at the revision check").register(meters);
        conflicts = Counter.builder("qastream.scoring.conflicts")
                .description("distinct cross-document conflicts (default, range or MO class of one parameter)").register(meters);
        Gauge.builder("qastream.scoring.diversity", diversity, d -> d.overall().score())
                .description("question-type entropy and embedding spread of the accepted pairs, in [0, 1]").register(meters);
        batchPairs = DistributionSummary.builder("qastream.scoring.batch.pairs")
                .description("pairs per batch of the scoring step (scoring.batch.pairs at most)").register(meters);
        embedding = Timer.builder("qastream.scoring.embedding").description("embedding time per batch").register(meters);
        Gauge.builder("qastream.scoring.waiting", waiting, AtomicLong::get)
                .description("pairs taken in and not yet written: waiting for their batch, or being scored").register(meters);
    }

    /** Pairs taken in and not yet written out. */
    long waiting() {
        return waiting.get();
    }

    @Override
    public void waiting(int delta) {
        waiting.addAndGet(delta);
    }

    @Override
    public void written(ScoredPair s, float[] vector) {
        if (s.getPair().getRemoved()) {
            removed.increment();
            diversity.record(s, vector);
            return;
        }
        (s.getAccepted() ? accepted : rejected).increment();
        if (!s.getAccepted()) {
            meters.counter("qastream.scoring.rejections", "reason", RejectionReasons.category(s)).increment();
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
            types.computeIfAbsent(QuestionTypes.of(s.getPair()), t -> Counter.builder("qastream.scoring.question.types")
                    .tag("type", t).register(meters)).increment();
        }
        diversity.record(s, vector);
        String doc = s.getPair().getDocumentId();
        // One gauge per document, up to a bound that keeps the metrics endpoint readable.
        if (s.getAccepted() && documents.size() < MAX_DOCUMENT_GAUGES && documents.add(doc)) {
            Gauge.builder("qastream.scoring.document.diversity", diversity, d -> d.score(doc)).tag("document", doc)
                    .register(meters);
        }
    }

    @Override
    public void batch(int pairs, int embedded, long embedNanos) {
        batchPairs.record(pairs);
        if (embedded > 0) {
            embedding.record(embedNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void unfilledRemoval() {
        unfilledRemovals.increment();
    }

    @Override
    public void judged(String outcome) {
        judgements.computeIfAbsent(outcome, o -> Counter.builder("qastream.scoring.judgements").tag("outcome", o)
                .description("judge verdicts mixed in: kept (known already, no model call), asked, unavailable").register(meters)).increment();
    }
}
