package dev.qastream.review;

import java.util.ArrayList;
import java.util.List;

/** A word-level diff of two short texts (a pair's question or answer): longest common subsequence of words. */
public final class TextDiff {
    /** A run of words: kept in both, removed from the old, or added in the new. */
    public record Part(String kind, String text) {
    }

    private static final int MAX_WORDS = 2_000;

    private TextDiff() {
    }

    public static List<Part> of(String before, String after) {
        String[] a = before.split("(?<=\\s)");
        String[] b = after.split("(?<=\\s)");
        if (a.length > MAX_WORDS || b.length > MAX_WORDS) {
            return List.of(new Part("del", before), new Part("add", after));
        }
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].strip().equals(b[j].strip()) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Part> parts = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].strip().equals(b[j].strip())) {
                add(parts, "same", b[j]);
                i++;
                j++;
            } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
                add(parts, "add", b[j++]);
            } else {
                add(parts, "del", a[i++]);
            }
        }
        return parts;
    }

    private static void add(List<Part> parts, String kind, String word) {
        if (!parts.isEmpty() && parts.getLast().kind().equals(kind)) {
            Part last = parts.removeLast();
            parts.add(new Part(kind, last.text() + word));
        } else {
            parts.add(new Part(kind, word));
        }
    }
}
