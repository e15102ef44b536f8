package dev.qastream.scoring;

import dev.qastream.runtime.serde.PlainAvroSerde;
import dev.qastream.schemas.ScoredPair;

import java.util.Set;

/**
 * What deduplication keeps per pair of a document: whether it is the kept pair, a duplicate (and of which),
 * or rejected on its merits; its signature; and the pair as scored on its merits, so that a duplicate can take
 * the place of a removed kept pair.
 *
 * @param seq order of first arrival: among duplicates the earliest is kept
 */
public record DedupEntry(String pairKey, long seq, Status status, String duplicateOf, String normalizedQuestion,
                         Set<String> names, float[] vector, byte[] meritAvro) {
    public enum Status { KEPT, DUPLICATE, REJECTED }

    private static final PlainAvroSerde<ScoredPair> SCORED = PlainAvroSerde.of(ScoredPair.class);

    public static DedupEntry of(String pairKey, long seq, Status status, String duplicateOf, String normalizedQuestion,
                                Set<String> names, float[] vector, ScoredPair merit) {
        return new DedupEntry(pairKey, seq, status, duplicateOf, normalizedQuestion, names, vector,
                SCORED.serializer().serialize(null, merit));
    }

    /** The pair as scored on its merits; decoded only when needed (scans of a document compare signatures). */
    public ScoredPair merit() {
        return SCORED.deserializer().deserialize(null, meritAvro);
    }

    public DedupEntry with(Status s, String of) {
        return new DedupEntry(pairKey, seq, s, of, normalizedQuestion, names, vector, meritAvro);
    }

    public byte[] toBytes() {
        return new BinaryCodec.Writer(1024 + 4 * vector.length + meritAvro.length)
                .utf(pairKey).int64(seq).int8(status.ordinal()).utf(duplicateOf == null ? "" : duplicateOf)
                .utf(normalizedQuestion).names(names).vector(vector).bytes(meritAvro).toBytes();
    }

    public static DedupEntry fromBytes(byte[] b) {
        BinaryCodec.Reader in = new BinaryCodec.Reader(b);
        String key = in.utf();
        long seq = in.int64();
        Status status = Status.values()[in.int8()];
        String of = in.utf();
        return new DedupEntry(key, seq, status, of.isEmpty() ? null : of, in.utf(), in.names(), in.vector(), in.bytes());
    }
}
