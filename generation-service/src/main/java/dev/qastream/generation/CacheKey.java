package dev.qastream.generation;

import dev.qastream.llm.PairGenerator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Key of the generation cache: a hash of everything that decides a model's answer for a chunk: the
 * chunk's text (by its checksum), backend, model, prompt version and generation parameters. Keyed by
 * content, not position: a chunk whose ordinal shifted but whose text did not is a hit.
 */
public final class CacheKey {
    private CacheKey() {
    }

    public static String of(String chunkChecksum, String backend, String model, String promptVersion, String parameters) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {chunkChecksum, backend, model, promptVersion, parameters}) {
                sha.update((part == null ? "" : part).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0); // separator, so ("ab","c") and ("a","bc") differ
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String of(String chunkChecksum, PairGenerator generator) {
        return of(chunkChecksum, generator.backend(), generator.model(), generator.promptVersion(), generator.parameters());
    }
}
