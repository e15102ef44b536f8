package dev.qastream.generation;

import dev.qastream.llm.PairGenerator;
import dev.qastream.schemas.FocusFact;
import dev.qastream.schemas.GenerationRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * Key of the generation cache: a hash of everything that decides a model's answer for a chunk: the
 * chunk's text (by its checksum), backend, model, prompt version and generation parameters. Keyed by
 * content, not position: a chunk whose ordinal shifted but whose text did not is a hit. A coverage follow-up's
 * key also holds its round and the facts it names (sorted ids), under the follow-up's prompt version: it never gets
 * the first pass's answer, and the first pass's key is the same as before follow-ups existed.
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

    /** The key of a request: the first pass's for round 0 without a focus, else one of its own. */
    public static String of(GenerationRequest request, PairGenerator generator) {
        String checksum = request.getChunk().getChecksum();
        if (isFirstPass(request)) {
            return of(checksum, generator);
        }
        String facts = request.getFocus().stream().map(FocusFact::getFactId).sorted().collect(Collectors.joining("\n"));
        return of(checksum, generator.backend(), generator.model(), promptVersion(request, generator),
                generator.focusParameters() + "\u0000round=" + request.getRound() + "\u0000focus=" + facts);
    }

    /** The prompt version a request's pairs carry: the follow-up's when it names facts. */
    public static String promptVersion(GenerationRequest request, PairGenerator generator) {
        return request.getFocus().isEmpty() ? generator.promptVersion() : generator.focusPromptVersion();
    }

    public static boolean isFirstPass(GenerationRequest request) {
        return request.getRound() == 0 && request.getFocus().isEmpty();
    }
}
