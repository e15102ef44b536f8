package dev.qastream.scoring;

import dev.qastream.schemas.JudgeRequest;
import dev.qastream.schemas.Judgement;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The judge step of the scoring topology, keyed by pair key, next to the judge's verdicts (the compacted topic
 * scoring.judgements, co-partitioned): a pair that needs a verdict is passed on at once when the verdict on its
 * content is already known (a replay), else it waits in a logged store and a request goes to the judge stage,
 * which answers on scoring.judgements; the verdict completes the pair. The stream thread never waits for the judge.
 *
 * <p>One version of a pair waits at a time: a newer record of the pair key replaces (or, with no verdict needed,
 * cancels) the one waiting, so an older revision is never written after a newer one. A pair removed takes its
 * verdict with it (a tombstone on scoring.judgements), and so does a verdict that comes for a pair no longer
 * waiting, so the compacted topic holds verdicts of live pairs only. A verdict without a score ("unavailable")
 * completes the pair without the judge, with the reason, and is not used again: a replay asks again.
 */
final class JudgeStep implements Processor<String, JudgeStep.In, String, JudgeStep.Out> {
    /** Pairs waiting for their verdict, by pair key. */
    static final String WAITING_STORE = "pairs-awaiting-verdict";
    static final String TURNED_OFF = "the judge was turned off (scoring.judge.enabled) while the pair waited";

    /** What the step receives: a pair (with the verdict known on it then), or a verdict. */
    sealed interface In permits Arrival, Verdict {
    }

    record Arrival(JudgeHop hop, Judgement known) implements In {
    }

    /** A verdict written on scoring.judgements; null: one pruned. */
    record Verdict(Judgement judgement) implements In {
    }

    /** What the step writes: a pair to deduplicate (keyed by group), a request, or a verdict to prune (by pair key). */
    sealed interface Out permits Decided, Ask, Prune {
    }

    record Decided(Envelope envelope) implements Out {
    }

    record Ask(JudgeRequest request) implements Out {
    }

    record Prune() implements Out {
    }

    private final PairScorer scorer;
    private final boolean judgeOn;
    private final ScoringListener listener;
    private ProcessorContext<String, Out> context;
    private KeyValueStore<String, JudgeHop> waiting;
    private int waitingCount;
    private Cancellable drain;

    /** @param judgeOn whether a judge is configured; without one, pairs left waiting from before are passed on */
    JudgeStep(PairScorer scorer, boolean judgeOn, ScoringListener listener) {
        this.scorer = scorer;
        this.judgeOn = judgeOn;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Out> context) {
        this.context = context;
        this.waiting = context.getStateStore(WAITING_STORE);
        try (KeyValueIterator<String, JudgeHop> it = waiting.all()) {
            while (it.hasNext()) {
                it.next();
                waitingCount++;
            }
        }
        listener.waiting(waitingCount); // restored from before a restart or a move of this task
        if (!judgeOn && waitingCount > 0) {
            drain = context.schedule(Duration.ofMillis(100), PunctuationType.WALL_CLOCK_TIME, this::passOnWithoutJudge);
        }
    }

    @Override
    public void process(Record<String, In> record) {
        switch (record.value()) {
            case Arrival a -> arrived(record, a.hop(), a.known());
            case Verdict v -> judged(record, v.judgement());
        }
    }

    private void arrived(Record<String, In> record, JudgeHop hop, Judgement known) {
        String pairKey = record.key();
        if (hop.envelope().forget()) {
            // The pair moves to another dedup group; its new version follows and settles what waits.
            decide(record, hop.group(), hop.envelope());
            return;
        }
        JudgeHop before = waiting.get(pairKey);
        if (!hop.needsVerdict()) {
            stopWaiting(pairKey, before);
            if (known != null && (hop.envelope().legacyTombstone() || hop.envelope().scored().isRemoval())) {
                context.forward(record.withValue((Out) new Prune()));
            }
            decide(record, hop.group(), hop.envelope());
            return;
        }
        String cacheKey = hop.request().getCacheKey();
        if (known != null && known.getScore() != null && known.getCacheKey().equals(cacheKey)) {
            stopWaiting(pairKey, before);
            listener.judged("kept");
            decide(record, hop.group(), complete(hop, known));
            return;
        }
        waiting.put(pairKey, hop);
        if (before == null) {
            waitingCount++;
            listener.waiting(1);
        }
        // The same content already asked about (an earlier version still waiting): its verdict answers this one too.
        if (before == null || !before.request().getCacheKey().equals(cacheKey)) {
            context.forward(record.withValue((Out) new Ask(hop.request())));
        }
    }

    private void judged(Record<String, In> record, Judgement verdict) {
        if (verdict == null) {
            return; // a verdict pruned
        }
        String pairKey = record.key();
        JudgeHop hop = waiting.get(pairKey);
        if (hop == null) {
            // Nothing waits for it: the pair was removed, or scored without a verdict, while the judge worked.
            context.forward(record.withValue((Out) new Prune()));
            return;
        }
        if (!hop.request().getCacheKey().equals(verdict.getCacheKey())) {
            return; // the answer on an older version; the one this version asked for is still to come
        }
        stopWaiting(pairKey, hop);
        listener.judged(verdict.getScore() != null ? "asked" : "unavailable");
        decide(record, hop.group(), complete(hop, verdict));
    }

    private void stopWaiting(String pairKey, JudgeHop before) {
        if (before != null) {
            waiting.delete(pairKey);
            waitingCount--;
            listener.waiting(-1);
        }
    }

    private Envelope complete(JudgeHop hop, Judgement verdict) {
        PairJudge.Verdict v = verdict.getScore() != null ? PairJudge.Verdict.of(verdict.getScore())
                : PairJudge.Verdict.unavailable(verdict.getReason() == null ? "no opinion" : verdict.getReason());
        return complete(hop, v);
    }

    private Envelope complete(JudgeHop hop, PairJudge.Verdict verdict) {
        return new Envelope(hop.pairKey(), false, scorer.judged(hop.unjudged(), verdict));
    }

    private void decide(Record<String, In> record, String group, Envelope envelope) {
        context.forward(new Record<>(group, (Out) new Decided(envelope), record.timestamp()));
    }

    /** With no judge configured any more, the pairs that waited for one are scored without it. */
    private void passOnWithoutJudge(long now) {
        List<String> keys = new ArrayList<>();
        List<JudgeHop> hops = new ArrayList<>();
        try (KeyValueIterator<String, JudgeHop> it = waiting.all()) {
            it.forEachRemaining(e -> {
                keys.add(e.key);
                hops.add(e.value);
            });
        }
        for (int i = 0; i < keys.size(); i++) {
            JudgeHop hop = hops.get(i);
            stopWaiting(keys.get(i), hop);
            context.forward(new Record<>(hop.group(), (Out) new Decided(complete(hop,
                    new PairJudge.Verdict(OptionalDouble.empty(), TURNED_OFF))), now));
        }
        drain.cancel();
    }

    @Override
    public void close() {
        listener.waiting(-waitingCount); // the task moves on (or the app stops): its waiting pairs go with its store
    }
}
