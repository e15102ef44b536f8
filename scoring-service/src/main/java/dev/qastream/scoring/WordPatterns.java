package dev.qastream.scoring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** "This name as a whole word" patterns, compiled once: scoring asks for the same names pair after pair. */
public final class WordPatterns {
    private static final int MAX = 20_000;
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    private WordPatterns() {
    }

    public static Pattern of(String word, boolean caseSensitive) {
        String key = (caseSensitive ? "s:" : "i:") + word;
        Pattern p = CACHE.get(key);
        if (p == null) {
            if (CACHE.size() > MAX) {
                CACHE.clear(); // a crude bound: the vocabulary of one corpus fits many times over
            }
            int flags = caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
            p = Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(word) + "(?![A-Za-z0-9_])", flags);
            CACHE.put(key, p);
        }
        return p;
    }
}
