package dev.qastream.runtime.review;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a person's review decision was made on: the generated question and answer. A pair regenerated after a
 * prompt change or a document edit has another fingerprint, so an older decision does not cover it.
 */
public final class PairFingerprint {
    private PairFingerprint() {
    }

    public static String of(String question, String answer) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(question.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(answer.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
