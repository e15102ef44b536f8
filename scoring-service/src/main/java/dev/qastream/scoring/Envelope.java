package dev.qastream.scoring;

import dev.qastream.runtime.serde.PlainAvroSerde;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * A pair scored on its merits on its way from the chunk-partitioned scoring step to the document-partitioned
 * deduplication step (an internal repartition topic; plain binary, no registry).
 *
 * @param legacyTombstone the pair key arrived as a null value: write null, after updating the dedup state
 */
record Envelope(String pairKey, boolean legacyTombstone, Scored scored) {
    private static final PlainAvroSerde<ScoredPair> SCORED = PlainAvroSerde.of(ScoredPair.class);

    static Serde<Envelope> serde() {
        Serializer<Envelope> ser = (topic, e) -> e == null ? null : e.toBytes();
        Deserializer<Envelope> de = (topic, b) -> b == null ? null : fromBytes(b);
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(ser, de);
    }

    private byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(pairKey);
            out.writeBoolean(legacyTombstone);
            if (!legacyTombstone) {
                byte[] avro = SCORED.serializer().serialize(null, scored.scored());
                out.writeInt(avro.length);
                out.write(avro);
                out.writeUTF(scored.normalizedQuestion());
                out.writeInt(scored.names().size());
                for (String n : scored.names()) {
                    out.writeUTF(n);
                }
                out.writeInt(scored.vector().length);
                for (float f : scored.vector()) {
                    out.writeFloat(f);
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Envelope fromBytes(byte[] b) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
            String key = in.readUTF();
            boolean legacy = in.readBoolean();
            if (legacy) {
                return new Envelope(key, true, null);
            }
            byte[] avro = new byte[in.readInt()];
            in.readFully(avro);
            ScoredPair sp = SCORED.deserializer().deserialize(null, avro);
            String q = in.readUTF();
            int n = in.readInt();
            Set<String> names = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                names.add(in.readUTF());
            }
            float[] v = new float[in.readInt()];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readFloat();
            }
            return new Envelope(key, false, new Scored(sp, q, names, v));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
