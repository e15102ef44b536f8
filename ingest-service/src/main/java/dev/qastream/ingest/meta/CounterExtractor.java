package dev.qastream.ingest.meta;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds performance counter names: {@code pm} followed by an upper-case letter ({@code pmTtiBundlingUlAct}). */
public final class CounterExtractor {

    private static final Pattern COUNTER = Pattern.compile("(?<![\\w.])pm[A-Z]\\w*");

    private CounterExtractor() {}

    /** Distinct counter names in order of first appearance. */
    public static List<String> extract(String text) {
        if (!text.contains("pm")) {
            return List.of();
        }
        Set<String> found = new LinkedHashSet<>();
        Matcher m = COUNTER.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return List.copyOf(found);
    }

    /** Whether a word is a counter name. */
    public static boolean isCounter(String word) {
        return word.length() > 2 && word.startsWith("pm") && Character.isUpperCase(word.charAt(2));
    }
}
