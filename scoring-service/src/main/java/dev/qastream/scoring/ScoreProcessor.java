package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.JudgeRequest;
import dev.qastream.schemas.QaPair;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Step 1 of the scoring topology: the revision check as each pair arrives, then scoring next to the chunk in
 * batches: pairs wait in {@link PendingPairs} until a batch is full or the oldest has waited the linger time,
 * and the batch's questions and answers are embedded in one call. The judge is never asked here: with one
 * configured, a pair scored on its merits goes on with what to ask it ({@link JudgeHop}), and the judge step
 * ({@link JudgeStep}) completes it when the verdict comes. Out in arrival order, keyed by pair key, each with its
 * dedup group.
 */
final class ScoreProcessor implements Processor<String, QaPair, String, JudgeHop> {
    /** Waits on the model for each batch in flight: one virtual thread each, parked while the model runs. */
    private static final ExecutorService EMBEDDING_CALLS =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("scoring-embed-", 0).factory());
    private final PairScorer scorer;
    private final Batching batching;
    private final boolean judgeOn;
    private final ScoringListener listener;
    private ProcessorContext<String, JudgeHop> context;
    private TimestampedKeyValueStore<String, Chunk> chunks;
    private PairRevisions revisions;
    private KeyValueStore<String, byte[]> chunkVectors;
    private KeyValueStore<String, String> groups;
    private PendingPairs pending;
    private Catalogue catalogue;

    ScoreProcessor(PairScorer scorer, Batching batching, ScoringListener listener) {
        this.scorer = scorer;
        this.batching = batching;
        this.judgeOn = scorer.judge() != PairJudge.NONE;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, JudgeHop> context) {
        this.context = context;
        this.chunks = context.getStateStore(ScoringTopology.CHUNK_STORE);
        this.revisions = new PairRevisions(context.getStateStore(ScoringTopology.REVISION_STORE));
        this.chunkVectors = context.getStateStore(ScoringTopology.CHUNK_VECTOR_STORE);
        this.groups = context.getStateStore(ScoringTopology.GROUP_STORE);
        this.pending = new PendingPairs(context.getStateStore(ScoringTopology.PENDING_STORE));
        listener.waiting(pending.size()); // restored from before a restart or a move of this task
        this.catalogue = CatalogueStore.over(context.getStateStore(CatalogueStore.GLOBAL_STORE));
        // Also flushes what was waiting when the process last stopped.
        context.schedule(batching.linger(), PunctuationType.WALL_CLOCK_TIME, now -> {
            int sent = flush();
            if (sent > 0 && sent < batching.pairs()) {
                // The linger time sent a batch that was not full: pairs come one by one, no backlog. A commit now
                // shows them to the next stages at once rather than at the commit interval (a second), and costs
                // little at that pace; under a backlog, full batches go and the commit interval holds.
                context.commit();
            }
        });
    }

    @Override
    public void process(Record<String, QaPair> record) {
        QaPair pair = record.value();
        if (pair.getRevision() != ScoringTopology.LEGACY_TOMBSTONE) {
            PairRevisions.Admission admission = revisions.admit(pair);
            if (admission == PairRevisions.Admission.NOTHING_TO_REMOVE) {
                listener.unfilledRemoval();
                return;
            }
            if (admission == PairRevisions.Admission.STALE) {
                return; // an older revision never replaces a newer one
            }
        }
        pending.add(pair, record.timestamp());
        listener.waiting(1);
        if (pending.size() >= batching.pairs()) {
            flush();
        }
    }

    /** Scores and sends the waiting pairs; returns how many. */
    private int flush() {
        if (pending.size() == 0) {
            return 0;
        }
        List<PendingPairs.Pending> batch = pending.drain();
        List<Chunk> chunkOf = new ArrayList<>(batch.size());
        List<QaPair> toEmbed = new ArrayList<>();
        for (PendingPairs.Pending p : batch) {
            Chunk chunk = scorable(p.pair());
            chunkOf.add(chunk);
            if (chunk != null && scorer.semantic() != null) {
                toEmbed.add(p.pair());
            }
        }
        // The model embeds the batch on its own threads while this one applies the rules, which need no vectors.
        InFlight embedding = toEmbed.isEmpty() ? null : embed(toEmbed, chunkOf);
        List<PairScorer.Rules> rules = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Chunk chunk = chunkOf.get(i);
            rules.add(chunk == null ? null : scorer.rules(batch.get(i).pair(), chunk, catalogue));
        }
        List<SemanticScorer.PairVectors> vectors = embedding == null ? List.of() : embedding.vectors();
        listener.batch(batch.size(), toEmbed.size(), embedding == null ? 0 : embedding.nanos);
        int v = 0;
        for (int i = 0; i < batch.size(); i++) {
            QaPair pair = batch.get(i).pair();
            Chunk chunk = chunkOf.get(i);
            long timestamp = batch.get(i).timestamp();
            Envelope out;
            JudgeRequest ask = null;
            boolean vetoed = false;
            if (pair.getRevision() == ScoringTopology.LEGACY_TOMBSTONE) {
                out = new Envelope(pair.getPairKey(), true, null);
            } else if (pair.getRemoved()) {
                out = new Envelope(pair.getPairKey(), false, Scored.removal(scorer.removed(pair)));
            } else if (chunk == null) {
                out = new Envelope(pair.getPairKey(), false,
                        scorer.score(pair, current(pair), catalogue, null, null, PairJudge.Verdict.NOT_ASKED));
            } else {
                SemanticScorer.PairVectors pairVectors = null;
                float[] chunkVector = null;
                if (scorer.semantic() != null) {
                    pairVectors = vectors.get(v++);
                    chunkVector = embedding.chunkVector(chunk.getChunkId());
                }
                PairScorer.Unjudged merits = scorer.merits(rules.get(i), pairVectors, chunkVector);
                if (judgeOn) {
                    vetoed = merits.vetoed();
                    ask = JudgeRequest.newBuilder().setPair(pair).setChunk(chunk)
                            .setCacheKey(scorer.judge().cacheKey(pair, chunk)).setRequestedAtMs(timestamp).build();
                    out = new Envelope(pair.getPairKey(), false, merits.merits());
                } else {
                    out = new Envelope(pair.getPairKey(), false, scorer.judged(merits, PairJudge.Verdict.NOT_ASKED));
                }
            }
            String group = group(pair, out.legacyTombstone() || pair.getRemoved(), chunk, timestamp);
            context.forward(new Record<>(pair.getPairKey(), new JudgeHop(group, out, vetoed, ask), timestamp));
        }
        listener.waiting(-batch.size());
        return batch.size();
    }

    /**
     * Starts embedding the pairs' texts, with the chunks of the batch that have no vector yet (they came faster than
     * the chunk-vector step embeds them): one call, so that a chunk never runs alone on one thread.
     */
    private InFlight embed(List<QaPair> pairs, List<Chunk> chunkOf) {
        Map<String, float[]> stored = new HashMap<>();
        Map<String, Chunk> unembedded = new LinkedHashMap<>();
        for (Chunk chunk : chunkOf) {
            String id = chunk == null ? null : chunk.getChunkId();
            if (id != null && !stored.containsKey(id) && !unembedded.containsKey(id)) {
                float[] vector = ScoringTopology.ChunkVectorProcessor.stored(chunk, chunkVectors);
                if (vector != null) {
                    stored.put(id, vector);
                } else {
                    unembedded.put(id, chunk);
                }
            }
        }
        return new InFlight(pairs, List.copyOf(unembedded.values()), stored);
    }

    /**
     * One batch being embedded on a thread of its own (the model's calls only: state stores are touched by the stream
     * thread alone, in {@link #vectors}).
     */
    private final class InFlight {
        private final List<Chunk> chunks;
        /** The vectors of the batch's chunks: those stored already, then those embedded with the batch. */
        private final Map<String, float[]> chunkVectorsById;
        private final Future<SemanticScorer.Embedded> result;
        private volatile long nanos;

        InFlight(List<QaPair> pairs, List<Chunk> chunks, Map<String, float[]> stored) {
            this.chunks = chunks;
            this.chunkVectorsById = stored;
            List<String> chunkTexts = chunks.stream().map(Chunk::getText).toList();
            this.result = EMBEDDING_CALLS.submit(() -> {
                long t0 = System.nanoTime();
                try {
                    return scorer.semantic().embed(pairs, chunkTexts);
                } finally {
                    nanos = System.nanoTime() - t0;
                }
            });
        }

        /** Waits for the vectors; stores the chunks'; returns the pairs'. A failure of the model is thrown here. */
        List<SemanticScorer.PairVectors> vectors() {
            SemanticScorer.Embedded embedded;
            try {
                embedded = result.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the batch was being embedded", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException("embedding failed", e.getCause());
            }
            for (int i = 0; i < chunks.size(); i++) {
                ScoringTopology.ChunkVectorProcessor.put(chunks.get(i), embedded.chunks().get(i), chunkVectors);
                chunkVectorsById.put(chunks.get(i).getChunkId(), embedded.chunks().get(i));
            }
            return embedded.pairs();
        }

        /** The vector of a chunk of the batch, once {@link #vectors} has returned. */
        float[] chunkVector(String chunkId) {
            return chunkVectorsById.get(chunkId);
        }
    }

    @Override
    public void close() {
        listener.waiting(-pending.size()); // the task moves on (or the app stops): its waiting pairs go with its store
    }

    /**
     * The dedup group the pair goes to: its document, or with {@code dedup-scope: feature} its feature (the document
     * when the chunk names none). A pair whose group changed is first forgotten by the old one; a removal goes to
     * the group its pair was in.
     */
    private String group(QaPair pair, boolean removal, Chunk scoredOn, long timestamp) {
        if (scorer.settings().dedupScope() == ScoringSettings.DedupScope.DOCUMENT) {
            return pair.getDocumentId();
        }
        String before = groups.get(pair.getPairKey());
        if (scoredOn == null) {
            if (removal) {
                groups.delete(pair.getPairKey());
            }
            return before != null ? before : pair.getDocumentId();
        }
        String feature = scoredOn.getDocument() == null ? null : scoredOn.getDocument().getFeatureName();
        String group = feature == null || feature.isBlank() ? pair.getDocumentId()
                : "feature:" + feature.strip().toLowerCase(Locale.ROOT);
        if (before != null && !before.equals(group)) {
            context.forward(new Record<>(pair.getPairKey(), JudgeHop.pass(before, Envelope.forget(pair.getPairKey())), timestamp));
        }
        if (!group.equals(before)) {
            groups.put(pair.getPairKey(), group);
        }
        return group;
    }

    /** The pair's chunk when the pair can be scored: not a removal, and made from the chunk's current version. */
    private Chunk scorable(QaPair pair) {
        if (pair.getRemoved()) {
            return null;
        }
        Chunk chunk = current(pair);
        return chunk != null && chunk.getChecksum().equals(pair.getChunkChecksum()) ? chunk : null;
    }

    private Chunk current(QaPair pair) {
        ValueAndTimestamp<Chunk> v = chunks.get(pair.getChunkId());
        return v == null ? null : v.value();
    }
}
