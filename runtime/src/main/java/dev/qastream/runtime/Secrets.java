package dev.qastream.runtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets this process holds (model servers' API keys, the review token), so that text leaving the process
 * (log lines, dead-letter reasons, doctor's lines) can be cleaned of them. A secret is remembered where it is
 * read from the environment; anything may echo it back later (a server's error body quoting the key it got).
 */
public final class Secrets {
    /** What stands in for a secret. */
    public static final String MASK = "[redacted]";
    /** Shorter values are not masked: they would mask ordinary words, and are no secret worth the name. */
    private static final int MIN_LENGTH = 6;
    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

    private Secrets() {
    }

    /** Remembers {@code secret} (null or blank: nothing) and returns it. */
    public static String remember(String secret) {
        if (secret != null && secret.strip().length() >= MIN_LENGTH) {
            KNOWN.add(secret.strip());
        }
        return secret;
    }

    /** {@code text} with every remembered secret replaced by {@link #MASK}; null stays null. */
    public static String redact(String text) {
        if (text == null || KNOWN.isEmpty()) {
            return text;
        }
        String t = text;
        for (String secret : KNOWN) {
            if (t.contains(secret)) {
                t = t.replace(secret, MASK);
            }
        }
        return t;
    }
}
