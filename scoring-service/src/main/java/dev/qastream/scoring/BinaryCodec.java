package dev.qastream.scoring;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The binary layout of scoring's own records (state store values, the internal repartition topic): that of
 * {@link DataOutputStream}, big-endian, with vectors written in bulk (a float at a time was a visible share of a
 * pair's cost). Internal only: no registry, the reader is always this code.
 */
final class BinaryCodec {
    private BinaryCodec() {
    }

    static final class Writer {
        private final ByteArrayOutputStream bytes;
        private final DataOutputStream out;

        Writer(int sizeHint) {
            bytes = new ByteArrayOutputStream(sizeHint);
            out = new DataOutputStream(bytes);
        }

        Writer utf(String s) {
            return io(() -> out.writeUTF(s));
        }

        Writer int64(long v) {
            return io(() -> out.writeLong(v));
        }

        Writer float64(double v) {
            return io(() -> out.writeDouble(v));
        }

        Writer int8(int v) {
            return io(() -> out.writeByte(v));
        }

        Writer bool(boolean v) {
            return io(() -> out.writeBoolean(v));
        }

        /** A count, then each name. */
        Writer names(Set<String> names) {
            io(() -> out.writeInt(names.size()));
            names.forEach(this::utf);
            return this;
        }

        /** The number of floats, then the floats. */
        Writer vector(float[] v) {
            return io(() -> {
                out.writeInt(v.length);
                out.write(Vectors.toBytes(v));
            });
        }

        /** The length, then the bytes. */
        Writer bytes(byte[] b) {
            return io(() -> {
                out.writeInt(b.length);
                out.write(b);
            });
        }

        byte[] toBytes() {
            io(out::flush);
            return bytes.toByteArray();
        }

        private Writer io(IoAction a) {
            try {
                a.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    static final class Reader {
        private final DataInputStream in;

        Reader(byte[] b) {
            in = new DataInputStream(new ByteArrayInputStream(b));
        }

        String utf() {
            return io(in::readUTF);
        }

        /** Whether bytes are left: a field appended later is read only when present. */
        boolean hasMore() {
            return io(in::available) > 0;
        }

        long int64() {
            return io(in::readLong);
        }

        double float64() {
            return io(in::readDouble);
        }

        int int8() {
            return io(in::readByte);
        }

        boolean bool() {
            return io(in::readBoolean);
        }

        Set<String> names() {
            int n = io(in::readInt);
            Set<String> names = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                names.add(utf());
            }
            return names;
        }

        float[] vector() {
            byte[] b = new byte[4 * io(in::readInt)];
            io(() -> {
                in.readFully(b);
                return null;
            });
            return Vectors.fromBytes(b, 0, b.length);
        }

        byte[] bytes() {
            byte[] b = new byte[io(in::readInt)];
            io(() -> {
                in.readFully(b);
                return null;
            });
            return b;
        }

        private static <T> T io(IoSupplier<T> s) {
            try {
                return s.get();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }
}
