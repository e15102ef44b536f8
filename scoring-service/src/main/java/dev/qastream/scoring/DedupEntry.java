package dev.qastream.scoring;

import dev.qastream.runtime.serde.PlainAvroSerde;
import dev.qastream.schemas.ScoredPair;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;

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
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(pairKey);
            out.writeLong(seq);
            out.writeByte(status.ordinal());
            out.writeUTF(duplicateOf == null ? "" : duplicateOf);
            out.writeUTF(normalizedQuestion);
            out.writeInt(names.size());
            for (String n : names) {
                out.writeUTF(n);
            }
            out.writeInt(vector.length);
            for (float f : vector) {
                out.writeFloat(f);
            }
            out.writeInt(meritAvro.length);
            out.write(meritAvro);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DedupEntry fromBytes(byte[] b) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
            String key = in.readUTF();
            long seq = in.readLong();
            Status status = Status.values()[in.readByte()];
            String of = in.readUTF();
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
            byte[] avro = new byte[in.readInt()];
            in.readFully(avro);
            return new DedupEntry(key, seq, status, of.isEmpty() ? null : of, q, names, v, avro);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
