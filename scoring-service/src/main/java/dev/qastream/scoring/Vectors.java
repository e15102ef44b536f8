package dev.qastream.scoring;

import java.nio.ByteBuffer;

/** Small vector helpers: unit vectors, cosine as a dot product, compact bytes for state stores. */
public final class Vectors {
    private Vectors() {
    }

    public static float[] normalize(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float[] out = new float[v.length];
        if (n == 0) {
            return out;
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }

    /** Cosine of two unit vectors. */
    public static double cosine(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }

    /** Cosine of two unit vectors stored at {@code [offset, offset + length)} of each array. */
    public static double cosine(float[] a, float[] b, int offset, int length) {
        double d = 0;
        for (int i = offset; i < offset + length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }

    /** Unit vector of the sum: one vector for a question and its answer together. */
    public static float[] mean(float[] a, float[] b) {
        float[] s = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return normalize(s);
    }

    public static byte[] toBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    public static float[] fromBytes(byte[] bytes, int offset, int length) {
        float[] v = new float[length / 4];
        ByteBuffer.wrap(bytes, offset, length).slice().asFloatBuffer().get(v);
        return v;
    }
}
