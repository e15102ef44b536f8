package dev.qastream.scoring.coverage;

import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.CoverageChunkState;
import dev.qastream.schemas.CoverageEvent;
import dev.qastream.schemas.CoveragePairState;
import dev.qastream.schemas.DocumentCoverage;
import dev.qastream.schemas.Fact;
import dev.qastream.schemas.FocusFact;
import dev.qastream.schemas.GenerationRequest;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ScoredPair;
import dev.qastream.scoring.QuestionTypes;
import dev.qastream.scoring.coverage.CoverageTopology.Emit;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps, per document, its chunks' facts and its pairs' latest scores, and writes what changes: facts, the
 * document's coverage, and a follow-up request when a round of a chunk revision is complete (every slot of it
 * scored; or, when the slot count is unknown, no pair of it for {@code coverage.round-quiet-ms}) with facts of the
 * chunk still uncovered and fewer than {@code coverage.max-rounds} follow-ups made for that revision. The round is
 * recorded in the chunk's state in the same transaction as the request, so a round is never asked for twice.
 */
final class CoverageProcessor implements Processor<String, CoverageEvent, String, Emit> {
    private final CoverageSettings settings;
    private final CoverageListener listener;
    private ProcessorContext<String, Emit> context;
    private KeyValueStore<String, CoverageChunkState> chunks;
    private KeyValueStore<String, CoveragePairState> pairs;
    private KeyValueStore<String, DocumentCoverage> documents;
    private KeyValueStore<String, Long> pending;
    /** Chunks of this task's pending store: told to the listener, taken back when the task closes. */
    private long heldPending;
    /** A round of known size missing a slot for this many quiet periods is decided without it. */
    static final int GIVE_UP_QUIET_ROUNDS = 30;

    CoverageProcessor(CoverageSettings settings, CoverageListener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Emit> context) {
        this.context = context;
        chunks = context.getStateStore(CoverageTopology.CHUNKS_STORE);
        pairs = context.getStateStore(CoverageTopology.PAIRS_STORE);
        documents = context.getStateStore(CoverageTopology.DOCUMENTS_STORE);
        pending = context.getStateStore(CoverageTopology.PENDING_STORE);
        long every = Math.max(100, Math.min(1000, settings.roundQuietMs() / 2));
        context.schedule(Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME, this::quietRounds);
        // The meters start from what the stores hold after a restart.
        try (KeyValueIterator<String, DocumentCoverage> it = documents.all()) {
            it.forEachRemaining(kv -> listener.document(kv.key, kv.value));
        }
        try (KeyValueIterator<String, Long> it = pending.all()) {
            while (it.hasNext()) {
                it.next();
                heldPending++;
            }
        }
        listener.pendingRounds(heldPending);
    }

    @Override
    public void process(Record<String, CoverageEvent> record) {
        CoverageEvent e = record.value();
        if (e == null) {
            return;
        }
        if (e.getPairKey() == null) {
            chunk(e.getChunkId(), e.getRevision(), e.getChunk(), record.timestamp());
        } else {
            pair(e.getPairKey(), e.getChunkId(), e.getScored(), record.timestamp());
        }
    }

    // --- chunks --------------------------------------------------------------------------------------------

    private void chunk(String chunkId, long revision, Chunk chunk, long timestamp) {
        CoverageChunkState old = chunks.get(chunkId);
        if (old != null && old.getRevision() > revision) {
            return; // an older revision never replaces a newer one
        }
        List<Fact> before = old == null ? List.of() : old.getFacts();
        List<Fact> after = chunk == null ? List.of() : FactInventory.of(chunk);
        Map<String, Fact> now = new HashMap<>();
        after.forEach(f -> now.put(f.getFactId(), f));
        for (Fact f : before) {
            if (!now.containsKey(f.getFactId())) {
                context.forward(new Record<>(f.getFactId(), new Emit(Emit.Target.FACT, null), timestamp));
            }
        }
        Map<String, Fact> was = new HashMap<>();
        before.forEach(f -> was.put(f.getFactId(), f));
        for (Fact f : after) {
            if (!f.equals(was.get(f.getFactId()))) {
                context.forward(new Record<>(f.getFactId(), new Emit(Emit.Target.FACT, f), timestamp));
            }
        }
        if (chunk == null) {
            chunks.delete(chunkId);
            clearPending(chunkId);
            for (KeyValue<String, CoveragePairState> p : pairsOf(chunkId)) {
                pairs.delete(p.key);
            }
        } else {
            boolean sameRevision = old != null && old.getRevision() == revision;
            CoverageChunkState state = CoverageChunkState.newBuilder().setChunk(chunk).setRevision(revision).setFacts(after)
                    .setFollowUpRounds(sameRevision ? old.getFollowUpRounds() : 0)
                    .setAskedFacts(sameRevision ? old.getAskedFacts() : List.of()).build();
            chunks.put(chunkId, state);
            if (old == null || !old.getChunk().getChecksum().equals(chunk.getChecksum())) {
                for (KeyValue<String, CoveragePairState> p : pairsOf(chunkId)) {
                    if (p.value.getChunkChecksum().equals(chunk.getChecksum())) {
                        pairs.put(p.key, checked(p.value, state)); // pairs that came before their chunk
                    }
                }
            }
            if (pending.get(chunkId) != null) {
                round(chunkId, false, timestamp); // its pairs came first
            }
        }
        publish(FactInventory.documentOf(chunkId), timestamp);
    }

    // --- pairs ---------------------------------------------------------------------------------------------

    private void pair(String pairKey, String chunkId, ScoredPair scored, long timestamp) {
        if (scored == null || scored.getPair().getRemoved()) {
            pairs.delete(pairKey); // scoring passes on only the newest revision of a pair key
        } else {
            QaPair p = scored.getPair();
            CoveragePairState old = pairs.get(pairKey);
            if (old != null && old.getRevision() > p.getRevision()) {
                return;
            }
            CoverageChunkState chunk = chunks.get(chunkId);
            CoveragePairState state = CoveragePairState.newBuilder()
                    .setPairKey(pairKey).setChunkId(chunkId).setChunkChecksum(p.getChunkChecksum())
                    .setRevision(p.getRevision()).setRound(p.getRound()).setSlot(p.getSlot())
                    .setSlotsInRound(p.getSlotsInRound()).setTier(p.getTier()).setAccepted(scored.getAccepted())
                    .setQuestionType(p.getQuestionType() != null ? p.getQuestionType() : QuestionTypes.classify(p.getQuestion()))
                    .setConfirmedFacts(scored.getConfirmedFacts())
                    .setRejection(scored.getAccepted() || scored.getReasons().isEmpty() ? null : scored.getReasons().get(0))
                    .setQuestion(p.getQuestion()).setAnswer(p.getAnswer()).setRelevance(scored.getRelevance())
                    .build();
            pairs.put(pairKey, checked(state, chunk));
            markPending(chunkId);
            round(chunkId, false, timestamp);
        }
        publish(FactInventory.documentOf(chunkId), timestamp);
    }

    /** Marks a chunk's round as waiting (or still waiting) for its last pairs. */
    private void markPending(String chunkId) {
        if (pending.get(chunkId) == null) {
            heldPending++;
            listener.pendingRounds(1);
        }
        pending.put(chunkId, context.currentSystemTimeMs());
    }

    private void clearPending(String chunkId) {
        if (pending.get(chunkId) != null) {
            pending.delete(chunkId);
            heldPending--;
            listener.pendingRounds(-1);
        }
    }

    @Override
    public void close() {
        listener.pendingRounds(-heldPending); // this task's rounds are another instance's now, or nobody's
    }

    /**
     * The pair with what its answer contradicts, checked against its own chunk version only: a pair that arrived
     * before its chunk is checked when the chunk comes, so the result does not depend on the order of arrival.
     */
    private static CoveragePairState checked(CoveragePairState p, CoverageChunkState chunk) {
        Map<String, String> wrong = chunk == null || !chunk.getChunk().getChecksum().equals(p.getChunkChecksum()) ? Map.of()
                : FactConfirmation.of(p.getQuestion(), p.getAnswer(), chunk.getChunk(), p.getRelevance()).contradicted();
        return CoveragePairState.newBuilder(p).setContradictions(new HashMap<>(wrong)).build();
    }

    // --- rounds and follow-ups -----------------------------------------------------------------------------

    /** Rounds whose slot count is unknown: complete once quiet. Known counts complete on their last pair. */
    private void quietRounds(long nowMs) {
        List<String> quiet = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = pending.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (nowMs - kv.value >= settings.roundQuietMs()) {
                    quiet.add(kv.key);
                }
            }
        }
        for (String chunkId : quiet) {
            if (round(chunkId, true, nowMs)) {
                publish(FactInventory.documentOf(chunkId), nowMs);
            }
        }
    }

    /**
     * Decides the latest round of a chunk's current revision, when complete. @return whether a follow-up was emitted
     *
     * @param quiet no pair of the chunk arrived for coverage.round-quiet-ms (a round of unknown size is complete)
     */
    private boolean round(String chunkId, boolean quiet, long timestamp) {
        CoverageChunkState state = chunks.get(chunkId);
        if (state == null) {
            if (quiet) {
                clearPending(chunkId); // no chunk (yet): its own arrival does not start a round
            }
            return false;
        }
        List<CoveragePairState> mine = new ArrayList<>();
        for (KeyValue<String, CoveragePairState> kv : pairsOf(chunkId)) {
            if (kv.value.getRevision() == state.getRevision()
                    && kv.value.getChunkChecksum().equals(state.getChunk().getChecksum())) {
                mine.add(kv.value);
            }
        }
        if (mine.isEmpty()) {
            if (quiet) {
                clearPending(chunkId);
            }
            return false;
        }
        int round = mine.stream().mapToInt(CoveragePairState::getRound).max().orElse(0);
        List<CoveragePairState> ofRound = mine.stream().filter(p -> p.getRound() == round)
                .sorted(Comparator.comparingInt(CoveragePairState::getSlot)).toList();
        int slots = ofRound.stream().mapToInt(CoveragePairState::getSlotsInRound).max().orElse(0);
        long scored = ofRound.stream().map(CoveragePairState::getSlot).distinct().count();
        Long last = pending.get(chunkId);
        boolean givenUp = quiet && last != null && context.currentSystemTimeMs() - last >= GIVE_UP_QUIET_ROUNDS * settings.roundQuietMs();
        // A slot that never comes (its pair lost upstream) must not hold the round forever.
        boolean complete = slots > 0 ? scored >= slots || givenUp : quiet;
        if (!complete) {
            return false;
        }
        clearPending(chunkId);
        int next = round + 1;
        if (state.getFollowUpRounds() >= next || state.getFollowUpRounds() >= settings.maxRounds()) {
            return false; // this round was followed up already, or the chunk had its rounds
        }
        String documentId = FactInventory.documentOf(chunkId);
        List<CoverageChunkState> docChunks = chunksOf(documentId);
        List<CoveragePairState> current = CoverageCalculator.current(docChunks, valuesOf(pairsOf(documentId)));
        Set<String> covered = CoverageCalculator.covered(docChunks, current);
        // Value facts first (each gets a pair of the follow-up's), then the descriptive ones that ride along.
        List<Fact> open = state.getFacts().stream().filter(f -> !covered.contains(f.getFactId()))
                .sorted(Comparator.comparing((Fact f) -> f.getValue() == null).thenComparing(Fact::getFactId)).toList();
        // Only a value fact left (a default, a range, a unit...) is worth a model call: that is what a small model
        // skips. Descriptive facts (a purpose) are covered by any relevant pair naming their subject; they never
        // cause a follow-up. Nor does a value fact a follow-up gave a pair to and the model left unanswered: asked by
        // name, it stated nothing about it, and asking again costs a call for the same result. One answered wrongly,
        // or in a pair that was rejected, is asked again: a fresh answer can get it right.
        Set<String> asked = Set.copyOf(state.getAskedFacts());
        boolean worthACall = open.stream().anyMatch(f -> f.getValue() != null && !(asked.contains(f.getFactId())
                && CoverageCalculator.NEVER_ANSWERED.equals(CoverageCalculator.uncovered(f, current).getReason())));
        if (!worthACall) {
            return false;
        }
        List<FocusFact> focus = open.stream().map(FactInventory::focus).toList();
        List<String> askedNow = new ArrayList<>(state.getAskedFacts());
        open.stream().limit(settings.followUpPairs()).filter(f -> f.getValue() != null && !asked.contains(f.getFactId()))
                .forEach(f -> askedNow.add(f.getFactId()));
        String tier = ofRound.get(0).getTier();
        if (!Topics.TIERS.contains(tier)) {
            tier = Topics.TIERS.get(1);
        }
        GenerationRequest request = GenerationRequest.newBuilder()
                .setTier(tier).setChunk(state.getChunk()).setRoutedAtMs(timestamp).setRevision(state.getRevision())
                .setFocus(focus).setRound(next).build();
        chunks.put(chunkId, CoverageChunkState.newBuilder(state).setFollowUpRounds(next).setAskedFacts(askedNow).build());
        context.forward(new Record<>(chunkId, new Emit(Emit.Target.REQUEST, request), timestamp));
        listener.followUp(chunkId, next);
        return true;
    }

    // --- documents -----------------------------------------------------------------------------------------

    /** Writes the document's coverage when it changed (a tombstone once it has no chunks left). */
    private void publish(String documentId, long timestamp) {
        List<CoverageChunkState> docChunks = chunksOf(documentId);
        DocumentCoverage before = documents.get(documentId);
        if (docChunks.isEmpty()) {
            if (before != null) {
                documents.delete(documentId);
                context.forward(new Record<>(documentId, new Emit(Emit.Target.DOCUMENT, null), timestamp));
                listener.document(documentId, null);
            }
            return;
        }
        DocumentCoverage now = CoverageCalculator.compute(documentId, docChunks, valuesOf(pairsOf(documentId)));
        if (Objects.equals(before, now)) {
            return;
        }
        documents.put(documentId, now);
        context.forward(new Record<>(documentId, new Emit(Emit.Target.DOCUMENT, now), timestamp));
        listener.document(documentId, now);
    }

    private List<CoverageChunkState> chunksOf(String documentId) {
        List<CoverageChunkState> out = new ArrayList<>();
        try (KeyValueIterator<String, CoverageChunkState> it = chunks.prefixScan(documentId + "#", new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, CoverageChunkState> kv = it.next();
                if (FactInventory.documentOf(kv.key).equals(documentId)) {
                    out.add(kv.value);
                }
            }
        }
        return out;
    }

    /** Pairs under a prefix: a chunk's (chunk id + '#') or a document's (document id + '#'). */
    private List<KeyValue<String, CoveragePairState>> pairsOf(String chunkOrDocumentId) {
        List<KeyValue<String, CoveragePairState>> out = new ArrayList<>();
        try (KeyValueIterator<String, CoveragePairState> it = pairs.prefixScan(chunkOrDocumentId + "#", new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, CoveragePairState> kv = it.next();
                String chunkId = kv.value.getChunkId();
                if (chunkId.equals(chunkOrDocumentId) || FactInventory.documentOf(chunkId).equals(chunkOrDocumentId)) {
                    out.add(kv);
                }
            }
        }
        return out;
    }

    private static List<CoveragePairState> valuesOf(List<KeyValue<String, CoveragePairState>> kvs) {
        return kvs.stream().map(kv -> kv.value).toList();
    }
}
