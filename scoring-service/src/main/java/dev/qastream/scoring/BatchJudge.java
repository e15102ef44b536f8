package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The judge's verdicts for one batch of pairs. Judgements already made are read from a logged state store (its
 * changelog is a compacted topic), so a restart or a replay of the same pairs does not pay for them again; the
 * others are asked at the same time, at most {@code concurrency} at once, and kept. Only the stream thread
 * touches the store; the pool threads only wait on the model. A batch waits for its judgements at most
 * {@code batchTimeout}: the stream thread must poll again well within Kafka's max.poll.interval.ms (5 minutes),
 * or it leaves its group. A judgement not made by then is cancelled and the pair scored without it.
 */
final class BatchJudge {
    private final PairJudge judge;
    private final ExecutorService pool;
    private final Duration batchTimeout;

    BatchJudge(PairJudge judge, int concurrency, Duration batchTimeout) {
        this.judge = judge;
        this.batchTimeout = batchTimeout;
        this.pool = Executors.newFixedThreadPool(Math.max(1, concurrency), r -> {
            Thread t = new Thread(r, "scoring-judge");
            t.setDaemon(true);
            return t;
        });
    }

    /** One verdict per pair, in order; {@code chunks.get(i)} is the current chunk of {@code pairs.get(i)}. */
    List<PairJudge.Verdict> verdicts(List<QaPair> pairs, List<Chunk> chunks, KeyValueStore<String, Double> kept,
                                     ScoringListener listener) {
        List<PairJudge.Verdict> out = new ArrayList<>(pairs.size());
        List<Future<PairJudge.Verdict>> asked = new ArrayList<>(pairs.size());
        List<String> keys = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            QaPair pair = pairs.get(i);
            Chunk chunk = chunks.get(i);
            String key = judge.cacheKey(pair, chunk);
            Double score = key == null ? null : kept.get(key);
            keys.add(key);
            out.add(score == null ? null : PairJudge.Verdict.of(score));
            if (score != null) {
                listener.judged("kept");
            }
            asked.add(score != null ? null : pool.submit(() -> judge.safeVerdict(pair, chunk)));
        }
        long deadline = System.nanoTime() + batchTimeout.toNanos();
        for (int i = 0; i < pairs.size(); i++) {
            if (asked.get(i) != null) {
                PairJudge.Verdict v = await(asked.get(i), deadline);
                out.set(i, v);
                listener.judged(v.score().isPresent() ? "asked" : "unavailable");
                if (v.score().isPresent() && keys.get(i) != null) { // a failure is not kept: a replay asks again
                    kept.put(keys.get(i), v.score().getAsDouble());
                }
            }
        }
        return out;
    }

    private PairJudge.Verdict await(Future<PairJudge.Verdict> asked, long deadline) {
        try {
            return asked.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            asked.cancel(true);
            return PairJudge.Verdict.unavailable("no judgement within the batch's " + batchTimeout.toSeconds()
                    + " s (scoring.judge.batch-timeout-s)");
        } catch (ExecutionException e) {
            return PairJudge.Verdict.unavailable(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            asked.cancel(true);
            return PairJudge.Verdict.unavailable("interrupted");
        }
    }
}
