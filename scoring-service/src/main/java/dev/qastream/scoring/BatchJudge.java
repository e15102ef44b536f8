package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The judge's verdicts for one batch of pairs. Judgements already made are read from a logged state store (its
 * changelog is a compacted topic), so a restart or a replay of the same pairs does not pay for them again; the
 * others are asked at the same time, at most {@code concurrency} at once, and kept. Only the stream thread
 * touches the store; the pool threads only wait on the model.
 */
final class BatchJudge {
    private final PairJudge judge;
    private final ExecutorService pool;

    BatchJudge(PairJudge judge, int concurrency) {
        this.judge = judge;
        this.pool = Executors.newFixedThreadPool(Math.max(1, concurrency), r -> {
            Thread t = new Thread(r, "scoring-judge");
            t.setDaemon(true);
            return t;
        });
    }

    /** One verdict per pair, in order; {@code chunks.get(i)} is the current chunk of {@code pairs.get(i)}. */
    List<PairJudge.Verdict> verdicts(List<QaPair> pairs, List<Chunk> chunks, KeyValueStore<String, Double> kept) {
        List<PairJudge.Verdict> out = new ArrayList<>(pairs.size());
        List<CompletableFuture<PairJudge.Verdict>> asked = new ArrayList<>(pairs.size());
        List<String> keys = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            QaPair pair = pairs.get(i);
            Chunk chunk = chunks.get(i);
            String key = judge.cacheKey(pair, chunk);
            Double score = key == null ? null : kept.get(key);
            keys.add(key);
            out.add(score == null ? null : PairJudge.Verdict.of(score));
            asked.add(score != null ? null : CompletableFuture.supplyAsync(() -> judge.safeVerdict(pair, chunk), pool));
        }
        for (int i = 0; i < pairs.size(); i++) {
            if (asked.get(i) != null) {
                PairJudge.Verdict v = asked.get(i).join();
                out.set(i, v);
                if (v.score().isPresent() && keys.get(i) != null) { // a failure is not kept: a replay asks again
                    kept.put(keys.get(i), v.score().getAsDouble());
                }
            }
        }
        return out;
    }
}
