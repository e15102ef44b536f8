package dev.qastream.scoring;

import dev.qastream.runtime.serde.PlainAvroSerde;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;


/**
 * A pair scored on its merits on its way from the chunk-partitioned scoring step to the document-partitioned
 * deduplication step (an internal repartition topic; plain binary, no registry).
 *
 * @param legacyTombstone the pair key arrived as a null value: write null, after updating the dedup state
 * @param forget          the pair moved to another dedup group: drop it from this one and write nothing for it
 *                        (its duplicates here may take its place)
 */
record Envelope(String pairKey, boolean legacyTombstone, Scored scored, boolean forget) {
    Envelope(String pairKey, boolean legacyTombstone, Scored scored) {
        this(pairKey, legacyTombstone, scored, false);
    }

    static Envelope forget(String pairKey) {
        return new Envelope(pairKey, true, null, true);
    }

    private static final PlainAvroSerde<ScoredPair> SCORED = PlainAvroSerde.of(ScoredPair.class);

    static Serde<Envelope> serde() {
        Serializer<Envelope> ser = (topic, e) -> e == null ? null : e.toBytes();
        Deserializer<Envelope> de = (topic, b) -> b == null ? null : fromBytes(b);
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(ser, de);
    }

    private byte[] toBytes() {
        BinaryCodec.Writer out = new BinaryCodec.Writer(2048).utf(pairKey).bool(legacyTombstone);
        if (!legacyTombstone) {
            out.bytes(SCORED.serializer().serialize(null, scored.scored())).utf(scored.normalizedQuestion())
                    .names(scored.names()).vector(scored.vector());
        } else if (forget) {
            out.bool(true); // last and only when set: records written before the flag existed read as before
        }
        return out.toBytes();
    }

    private static Envelope fromBytes(byte[] b) {
        BinaryCodec.Reader in = new BinaryCodec.Reader(b);
        String key = in.utf();
        if (in.bool()) {
            return new Envelope(key, true, null, in.hasMore() && in.bool());
        }
        ScoredPair sp = SCORED.deserializer().deserialize(null, in.bytes());
        return new Envelope(key, false, new Scored(sp, in.utf(), in.names(), in.vector()));
    }
}
