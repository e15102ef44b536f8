package dev.qastream.generation.worker;

import dev.qastream.schemas.QaPair;

/**
 * The records of generation.pairs: a pair, or a removal (a versioned tombstone: {@code removed=true},
 * empty question and answer, the revision that removes it). Pair key = chunk id + '#' + slot.
 */
public final class PairRecords {
    private PairRecords() {
    }

    public static String pairKey(String chunkId, int slot) {
        return chunkId + "#" + slot;
    }

    /** Document id of a chunk id (document id + '#' + ordinal). */
    public static String documentOf(String chunkId) {
        int hash = chunkId.lastIndexOf('#');
        return hash < 0 ? chunkId : chunkId.substring(0, hash);
    }

    public static QaPair removal(String chunkId, String documentId, int slot, long revision, String tier, long nowMs) {
        return QaPair.newBuilder()
                .setPairKey(pairKey(chunkId, slot)).setChunkId(chunkId).setDocumentId(documentId).setSlot(slot)
                .setQuestion("").setAnswer("").setTier(tier).setBackend("").setModel("").setPromptVersion("")
                .setChunkChecksum("").setGeneratedAtMs(nowMs).setRevision(revision).setRemoved(true)
                .build();
    }
}
