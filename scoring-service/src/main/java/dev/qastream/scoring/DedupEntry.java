package dev.qastream.scoring;

import dev.qastream.runtime.serde.PlainAvroSerde;
import dev.qastream.schemas.ScoredPair;

import java.util.Set;

/**
 * What deduplication keeps per pair of a group: whether it is kept, a duplicate (and of which), or rejected on
 * its merits; its signature; its rank score; and the pair as scored on its merits, so that it can be written
 * again when its standing changes.
 *
 * @param score the pair's overall score: among duplicates the higher one is kept ({@link Deduplicator})
 */
public record DedupEntry(String pairKey, Status status, String duplicateOf, String normalizedQuestion,
                         Set<String> names, float[] vector, byte[] meritAvro, double score, Set<String> valueFacts) {
    public enum Status { KEPT, DUPLICATE, REJECTED }

    private static final PlainAvroSerde<ScoredPair> SCORED = PlainAvroSerde.of(ScoredPair.class);

    public static DedupEntry of(String pairKey, Status status, String duplicateOf, String normalizedQuestion,
                                Set<String> names, float[] vector, ScoredPair merit) {
        return new DedupEntry(pairKey, status, duplicateOf, normalizedQuestion, names, vector,
                SCORED.serializer().serialize(null, merit), merit.getOverall(), valueFacts(merit.getConfirmedFacts()));
    }

    /**
     * The value facts among the facts a pair confirms (a default, a range, a unit...: fact id "chunk|kind|subject"):
     * those the per-fact limit counts. A descriptive fact (a purpose) may be taught by many different pairs.
     */
    static Set<String> valueFacts(java.util.List<String> confirmed) {
        Set<String> out = new java.util.TreeSet<>();
        for (String id : confirmed) {
            String[] parts = id.split("\\|", -1);
            if (parts.length >= 3 && !parts[parts.length - 2].endsWith(".purpose")) {
                out.add(id);
            }
        }
        return out;
    }

    /** The pair as scored on its merits; decoded only when needed (scans of a group compare signatures). */
    public ScoredPair merit() {
        return SCORED.deserializer().deserialize(null, meritAvro);
    }

    public boolean acceptedOnMerit() {
        return status != Status.REJECTED;
    }

    public DedupEntry with(Status s, String of) {
        return new DedupEntry(pairKey, s, of, normalizedQuestion, names, vector, meritAvro, score, valueFacts);
    }

    public byte[] toBytes() {
        // The int64 once held the order of arrival: still written, so that either version reads the other's entries.
        return new BinaryCodec.Writer(1024 + 4 * vector.length + meritAvro.length)
                .utf(pairKey).int64(0).int8(status.ordinal()).utf(duplicateOf == null ? "" : duplicateOf)
                .utf(normalizedQuestion).names(names).vector(vector).bytes(meritAvro).float64(score).names(valueFacts).toBytes();
    }

    public static DedupEntry fromBytes(byte[] b) {
        BinaryCodec.Reader in = new BinaryCodec.Reader(b);
        String key = in.utf();
        in.int64();
        Status status = Status.values()[in.int8()];
        String of = in.utf();
        String question = in.utf();
        Set<String> names = in.names();
        float[] vector = in.vector();
        byte[] merit = in.bytes();
        // Entries written before the score was stored: read it from the pair itself.
        double score = in.hasMore() ? in.float64() : SCORED.deserializer().deserialize(null, merit).getOverall();
        // Entries written before facts were counted: read them from the pair itself.
        Set<String> facts = in.hasMore() ? in.names() : valueFacts(SCORED.deserializer().deserialize(null, merit).getConfirmedFacts());
        return new DedupEntry(key, status, of.isEmpty() ? null : of, question, names, vector, merit, score, facts);
    }
}
