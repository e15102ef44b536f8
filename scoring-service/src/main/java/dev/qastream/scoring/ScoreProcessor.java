package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Step 1 of the scoring topology: the revision check as each pair arrives, then scoring next to the chunk in
 * batches: pairs wait in {@link PendingPairs} until a batch is full or the oldest has waited the linger time,
 * and the batch's questions and answers are embedded in one call (and, with a judge, judged at the same time:
 * {@link BatchJudge}). Out in arrival order, keyed by document id.
 */
final class ScoreProcessor implements Processor<String, QaPair, String, Envelope> {
    private final PairScorer scorer;
    private final Batching batching;
    private final BatchJudge judge;
    private final ScoringListener listener;
    private ProcessorContext<String, Envelope> context;
    private TimestampedKeyValueStore<String, Chunk> chunks;
    private PairRevisions revisions;
    private KeyValueStore<String, byte[]> chunkVectors;
    private KeyValueStore<String, Double> judgements;
    private KeyValueStore<String, String> groups;
    private PendingPairs pending;
    private Catalogue catalogue;

    /** @param judge the judge of the batches, or null without one */
    ScoreProcessor(PairScorer scorer, Batching batching, BatchJudge judge, ScoringListener listener) {
        this.scorer = scorer;
        this.batching = batching;
        this.judge = judge;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Envelope> context) {
        this.context = context;
        this.chunks = context.getStateStore(ScoringTopology.CHUNK_STORE);
        this.revisions = new PairRevisions(context.getStateStore(ScoringTopology.REVISION_STORE));
        this.chunkVectors = context.getStateStore(ScoringTopology.CHUNK_VECTOR_STORE);
        this.judgements = context.getStateStore(ScoringTopology.JUDGEMENT_STORE);
        this.groups = context.getStateStore(ScoringTopology.GROUP_STORE);
        this.pending = new PendingPairs(context.getStateStore(ScoringTopology.PENDING_STORE));
        listener.waiting(pending.size()); // restored from before a restart or a move of this task
        this.catalogue = CatalogueStore.over(context.getStateStore(CatalogueStore.GLOBAL_STORE));
        // Also flushes what was waiting when the process last stopped.
        context.schedule(batching.linger(), PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, QaPair> record) {
        QaPair pair = record.value();
        if (pair.getRevision() != ScoringTopology.LEGACY_TOMBSTONE && !revisions.admit(pair)) {
            return; // an older revision never replaces a newer one
        }
        pending.add(pair, record.timestamp());
        listener.waiting(1);
        if (pending.size() >= batching.pairs()) {
            flush();
        }
    }

    private void flush() {
        if (pending.size() == 0) {
            return;
        }
        List<PendingPairs.Pending> batch = pending.drain();
        List<Chunk> chunkOf = new ArrayList<>(batch.size());
        List<QaPair> toEmbed = new ArrayList<>();
        List<Chunk> theirChunks = new ArrayList<>();
        for (PendingPairs.Pending p : batch) {
            Chunk chunk = scorable(p.pair());
            chunkOf.add(chunk);
            if (chunk != null) {
                toEmbed.add(p.pair());
                theirChunks.add(chunk);
            }
        }
        long t0 = System.nanoTime();
        List<SemanticScorer.PairVectors> vectors = toEmbed.isEmpty() ? List.of() : scorer.semantic().pairVectors(toEmbed);
        listener.batch(batch.size(), toEmbed.size(), System.nanoTime() - t0);
        List<PairJudge.Verdict> verdicts = judge == null || toEmbed.isEmpty() ? null
                : judge.verdicts(toEmbed, theirChunks, judgements, listener);
        int v = 0;
        for (int i = 0; i < batch.size(); i++) {
            QaPair pair = batch.get(i).pair();
            Chunk chunk = chunkOf.get(i);
            Envelope out;
            Chunk scoredOn = null; // the current chunk the pair was made from, when there is one
            if (pair.getRevision() == ScoringTopology.LEGACY_TOMBSTONE) {
                out = new Envelope(pair.getPairKey(), true, null);
            } else if (pair.getRemoved()) {
                out = new Envelope(pair.getPairKey(), false, Scored.removal(scorer.removed(pair)));
            } else if (chunk == null) {
                Chunk now = current(pair);
                scoredOn = now != null && now.getChecksum().equals(pair.getChunkChecksum()) ? now : null;
                out = new Envelope(pair.getPairKey(), false, scorer.score(pair, now, catalogue, null, null));
            } else {
                scoredOn = chunk;
                float[] chunkVector = ScoringTopology.ChunkVectorProcessor.vector(chunk, chunkVectors, scorer.semantic());
                PairJudge.Verdict verdict = verdicts == null ? null : verdicts.get(v);
                out = new Envelope(pair.getPairKey(), false,
                        scorer.score(pair, chunk, catalogue, vectors.get(v), chunkVector, verdict));
                v++;
            }
            long timestamp = batch.get(i).timestamp();
            String group = group(pair, out.legacyTombstone() || pair.getRemoved(), scoredOn, timestamp);
            context.forward(new Record<>(group, out, timestamp));
        }
        listener.waiting(-batch.size());
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
            context.forward(new Record<>(before, Envelope.forget(pair.getPairKey()), timestamp));
        }
        if (!group.equals(before)) {
            groups.put(pair.getPairKey(), group);
        }
        return group;
    }

    /** The pair's chunk when the pair is to be embedded: not a removal, and made from the chunk's current version. */
    private Chunk scorable(QaPair pair) {
        if (pair.getRemoved() || scorer.semantic() == null) {
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
