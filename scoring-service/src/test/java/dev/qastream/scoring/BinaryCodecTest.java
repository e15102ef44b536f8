package dev.qastream.scoring;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The bulk vector layout is the one state written a float at a time already holds. */
class BinaryCodecTest {
    @Test
    void readsWhatDataOutputWroteAFloatAtATimeAndWritesTheSameBytes() throws Exception {
        float[] vector = {0.25f, -1.5f, 3.0e-7f, Float.MAX_VALUE};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream old = new DataOutputStream(bytes);
        old.writeUTF("doc.md#0#1");
        old.writeInt(2);
        old.writeUTF("a.b");
        old.writeUTF("pmC");
        old.writeInt(vector.length);
        for (float f : vector) {
            old.writeFloat(f);
        }
        old.writeInt(3);
        old.write(new byte[]{1, 2, 3});

        BinaryCodec.Reader in = new BinaryCodec.Reader(bytes.toByteArray());
        assertThat(in.utf()).isEqualTo("doc.md#0#1");
        assertThat(in.names()).containsExactly("a.b", "pmC");
        assertThat(in.vector()).containsExactly(vector);
        assertThat(in.bytes()).containsExactly(1, 2, 3);

        byte[] again = new BinaryCodec.Writer(16).utf("doc.md#0#1").names(new TreeSet<>(Set.of("a.b", "pmC")))
                .vector(vector).bytes(new byte[]{1, 2, 3}).toBytes();
        assertThat(again).isEqualTo(bytes.toByteArray());
    }
}
