package dev.qastream.scoring;

import dev.qastream.runtime.serde.PlainAvroSerde;
import dev.qastream.schemas.JudgeRequest;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the scoring step sends on for one pair, keyed by pair key, to the judge step ({@link JudgeStep}), which
 * passes it on to deduplication keyed by {@code group}: at once, or once the judge's verdict is known. Travels
 * through an internal repartition topic and waits in a state store (plain binary, no registry).
 *
 * @param group    the dedup group the envelope goes to
 * @param envelope what deduplication receives; with a request, the pair scored on its merits alone
 * @param vetoed   with a request: the pair is rejected whatever the judge says
 * @param request  what the judge is asked, or null when the pair needs no verdict (a removal, an unscored pair, or
 *                 no judge configured)
 */
record JudgeHop(String group, Envelope envelope, boolean vetoed, JudgeRequest request) {
    private static final Serde<Envelope> ENVELOPE = Envelope.serde();
    private static final PlainAvroSerde<JudgeRequest> REQUEST = PlainAvroSerde.of(JudgeRequest.class);

    /** A hop that needs no verdict. */
    static JudgeHop pass(String group, Envelope envelope) {
        return new JudgeHop(group, envelope, false, null);
    }

    boolean needsVerdict() {
        return request != null;
    }

    String pairKey() {
        return envelope.pairKey();
    }

    /** The merits the verdict is mixed into ({@link PairScorer#judged}); only with a request. */
    PairScorer.Unjudged unjudged() {
        return new PairScorer.Unjudged(envelope.scored(), vetoed);
    }

    static Serde<JudgeHop> serde() {
        Serializer<JudgeHop> ser = (topic, h) -> h == null ? null : h.toBytes();
        Deserializer<JudgeHop> de = (topic, b) -> b == null ? null : fromBytes(b);
        return Serdes.serdeFrom(ser, de);
    }

    byte[] toBytes() {
        BinaryCodec.Writer out = new BinaryCodec.Writer(4096).utf(group)
                .bytes(ENVELOPE.serializer().serialize(null, envelope)).bool(request != null);
        if (request != null) {
            out.bool(vetoed).bytes(REQUEST.serializer().serialize(null, request));
        }
        return out.toBytes();
    }

    static JudgeHop fromBytes(byte[] b) {
        BinaryCodec.Reader in = new BinaryCodec.Reader(b);
        String group = in.utf();
        Envelope envelope = ENVELOPE.deserializer().deserialize(null, in.bytes());
        if (!in.bool()) {
            return pass(group, envelope);
        }
        boolean vetoed = in.bool();
        return new JudgeHop(group, envelope, vetoed, REQUEST.deserializer().deserialize(null, in.bytes()));
    }
}
