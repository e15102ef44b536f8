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

    /**
     * Key of a dead letter on generation.dlq: the chunk id for the first pass (as always), the chunk id and the round
     * for a follow-up, so a follow-up's dead letter never takes the place of its first pass's.
     */
    public static String deadLetterKey(String chunkId, int round) {
        return round == 0 ? chunkId : chunkId + "@round-" + round;
    }

    /** Document id of a chunk id (document id + '#' + ordinal). */
    public static String documentOf(String chunkId) {
        int hash = chunkId.lastIndexOf('#');
        return hash < 0 ? chunkId : chunkId.substring(0, hash);
    }

    public static QaPair removal(String chunkId, String documentId, int slot, long revision, String tier, long nowMs) {
        return removal(chunkId, documentId, slot, revision, tier, nowMs, dev.qastream.llm.Rounds.roundOf(slot), 0);
    }

    /** A removal made by a result of {@code round} that holds {@code slotsInRound} pairs. */
    public static QaPair removal(String chunkId, String documentId, int slot, long revision, String tier, long nowMs,
                                 int round, int slotsInRound) {
        return QaPair.newBuilder()
                .setPairKey(pairKey(chunkId, slot)).setChunkId(chunkId).setDocumentId(documentId).setSlot(slot)
                .setQuestion("").setAnswer("").setTier(tier).setBackend("").setModel("").setPromptVersion("")
                .setChunkChecksum("").setGeneratedAtMs(nowMs).setRevision(revision).setRemoved(true)
                .setRound(round).setSlotsInRound(slotsInRound)
                .build();
    }
}
