package dev.qastream.launcher.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Groups reasons that differ only in their particulars: "answer is too long (340 words, at most 300)" and
 * "answer is too long (512 words, at most 300)" are one reason; so are "mentions unknown parameter A.b" and
 * "mentions unknown parameter C.d". Numbers become N, names (dotted, camelCase, keys, paths) an ellipsis.
 */
final class Reasons {
    private static final Pattern PARENTHESES = Pattern.compile("\\s*\\([^)]*\\)");
    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d[\\d.,]*");
    private static final Pattern NAME = Pattern.compile(".*([a-z][A-Z]|[A-Za-z0-9][.#/][A-Za-z0-9_]|#).*");

    private Reasons() {
    }

    static String group(String reason) {
        if (reason == null || reason.isBlank()) {
            return "(no reason given)";
        }
        String text = PARENTHESES.matcher(reason.strip()).replaceAll("");
        List<String> words = new ArrayList<>();
        for (String token : text.split("\\s+")) {
            String core = token.replaceAll("[,;:]+$", "");
            String tail = token.substring(core.length());
            String word;
            if (NUMBER.matcher(core).matches()) {
                word = "N";
            } else if (NAME.matcher(core).matches()) {
                word = "…";
            } else {
                word = core;
            }
            if (!(word.equals("…") && !words.isEmpty() && words.get(words.size() - 1).startsWith("…"))) {
                words.add(word + tail);
            }
        }
        String grouped = String.join(" ", words).strip();
        return grouped.isEmpty() ? reason.strip() : grouped;
    }
}
