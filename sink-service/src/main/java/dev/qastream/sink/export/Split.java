package dev.qastream.sink.export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The three parts of a fine-tuning dataset. */
public enum Split {
    TRAIN("train", "train"), VALID("valid", "validation"), TEST("test", "test");

    /** Name in MLX-LM's layout (train / valid / test). */
    public final String mlxName;
    /** Name in a Hugging Face dataset (train / validation / test). */
    public final String hfName;

    Split(String mlxName, String hfName) {
        this.mlxName = mlxName;
        this.hfName = hfName;
    }

    /**
     * Assigns splits by a hash of a stable identity (the pair key, or the document id), never by position,
     * so a pair stays in its split across exports and as the dataset grows.
     */
    public record Ratios(int train, int valid, int test) {
        public static final Ratios DEFAULT = new Ratios(80, 10, 10);

        public Ratios {
            if (train < 0 || valid < 0 || test < 0 || train + valid + test <= 0) {
                throw new IllegalArgumentException("split ratios must be non-negative and not all zero, got "
                        + train + "/" + valid + "/" + test);
            }
        }

        /** "80/10/10" (any scale: "8/1/1" is the same). */
        public static Ratios parse(String text) {
            String[] parts = text.trim().split("/");
            if (parts.length != 3) {
                throw new IllegalArgumentException("--split takes TRAIN/VALID/TEST, e.g. 80/10/10; got '" + text + "'");
            }
            try {
                return new Ratios(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                        Integer.parseInt(parts[2].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--split takes whole numbers, e.g. 80/10/10; got '" + text + "'");
            }
        }

        public Split of(String identity) {
            long bucket = Long.remainderUnsigned(hash(identity), train + valid + test);
            if (bucket < train) {
                return TRAIN;
            }
            return bucket < train + valid ? VALID : TEST;
        }

        @Override
        public String toString() {
            return train + "/" + valid + "/" + test;
        }

        /** First 8 bytes of SHA-256: the same on every machine and every version, unlike String.hashCode's use. */
        private static long hash(String identity) {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
                long h = 0;
                for (int i = 0; i < 8; i++) {
                    h = (h << 8) | (d[i] & 0xff);
                }
                return h;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
