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
 */
final class PairRevisions {
    /** Chunk entries' keys start with a character that no pair key (a path, '#' and numbers) holds. */
    private static final String CHUNK = "\u0000";

    private final KeyValueStore<String, Long> store;

    PairRevisions(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    /** Records the pair's revision for its chunk; false when it is older than one already seen there. */
    boolean admit(QaPair pair) {
        String chunkKey = CHUNK + pair.getChunkId();
        Long stored = store.get(chunkKey);
        Long newest = stored;
        Long perPair = store.get(pair.getPairKey());
        if (perPair != null) {
            store.delete(pair.getPairKey());
            newest = newest == null ? perPair : Math.max(newest, perPair);
        }
        boolean current = newest == null || pair.getRevision() >= newest;
        if (current) {
            newest = pair.getRevision();
        }
        if (!newest.equals(stored)) {
            store.put(chunkKey, newest);
        }
        return current;
    }
}
