package dev.qastream.scoring;

import dev.qastream.schemas.QaPair;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The revision check of scoring, over the store {@value ScoringTopology#REVISION_STORE}: a pair, or a removal, of
 * a revision older than the newest seen for its chunk is stale, and dropped.
 *
 * <p>Kept per chunk, not per pair. A revision is the offset of a chunk's record on ingest.chunks, so it is the same
 * for every slot of the chunk, and every revision writes every slot: a pair, or a removal of each slot it does not
 * fill (all of them when the chunk is deleted). A pair older than any record of its chunk is therefore older than
 * its own slot's newest record too. Per pair, the store held an entry for every slot ever written, removals
 * included, long after the pairs had gone; per chunk it holds one long per chunk, and nothing for a removed pair.
 *
 * <p>A chunk's entry stays when the chunk is deleted: its revision is what keeps a pair of the deleted chunk, still
 * being generated on a slow tier, from being written over the pair's removal, and how late such a pair may come has
 * no bound. The store so holds one long per chunk id ever seen.
 *
 * <p>Entries that earlier versions kept per pair key still count: each is folded into its chunk's entry, and deleted,
 * when its pair key next comes through (a removal included).
 *
 * <p>Most removals concern slots that never held a pair: every result removes the slots of its round it does not fill,
 * and a first pass fills two or three of eight. Passed on, each would cost a trip through dedup, coverage and the sink
 * to remove nothing. So the store also marks the slots this step has passed a pair on for, and a removal of an
 * unmarked slot is dropped here ({@link Admission#NOTHING_TO_REMOVE}). Only for chunks whose first record came with
 * the marks in place (a chunk seen by an earlier version passes every removal on): the marks then say exactly what
 * the stages after this one hold, since they learn of a pair only from here. They live in this store's changelog,
 * like the revisions, so a restart or a move of the task keeps them.
 */
final class PairRevisions {
    /** Chunk entries' keys start with a character that no pair key (a path, '#' and numbers) holds. */
    private static final String CHUNK = "\u0000";
    /** A slot this step passed a pair on for, and no removal since: pair key after this character. */
    private static final String FILLED = "\u0001";
    /** A chunk whose slots have been marked since its first record: chunk id after this character. */
    private static final String MARKED = "\u0002";

    private final KeyValueStore<String, Long> store;

    PairRevisions(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    /** What the revision check makes of a record of generation.pairs. */
    enum Admission {
        /** Newest for its chunk: scored and passed on. */
        CURRENT,
        /** Older than a revision already seen for its chunk: dropped. */
        STALE,
        /** A removal of a slot that holds no pair after this step: nothing to remove, dropped. */
        NOTHING_TO_REMOVE
    }

    /** Records the pair's revision for its chunk, and its slot's mark; says whether it goes on. */
    Admission admit(QaPair pair) {
        String chunkKey = CHUNK + pair.getChunkId();
        Long stored = store.get(chunkKey);
        Long newest = stored;
        Long perPair = store.get(pair.getPairKey());
        if (perPair != null) {
            store.delete(pair.getPairKey());
            newest = newest == null ? perPair : Math.max(newest, perPair);
        }
        if (newest == null) {
            store.put(MARKED + pair.getChunkId(), 1L); // the chunk's first record: its slots are marked from now on
        }
        boolean current = newest == null || pair.getRevision() >= newest;
        if (current) {
            newest = pair.getRevision();
        }
        if (!newest.equals(stored)) {
            store.put(chunkKey, newest);
        }
        if (!current) {
            return Admission.STALE;
        }
        if (store.get(MARKED + pair.getChunkId()) == null) {
            return Admission.CURRENT; // seen before the marks: every removal goes on
        }
        String slot = FILLED + pair.getPairKey();
        if (!pair.getRemoved()) {
            store.put(slot, pair.getRevision());
            return Admission.CURRENT;
        }
        if (store.get(slot) == null) {
            return Admission.NOTHING_TO_REMOVE;
        }
        store.delete(slot);
        return Admission.CURRENT;
    }
}
