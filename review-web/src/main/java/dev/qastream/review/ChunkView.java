package dev.qastream.review;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A chunk's text laid out as the document shows it: paragraphs of sentences, and simple pipe tables as tables,
 * with the sentence or table row the answer rests on marked (the one sharing the most words with the answer).
 * Only structure is found here; the template escapes every piece of text.
 */
public final class ChunkView {
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=\\S)");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}_][\\p{L}\\p{N}_.-]*");
    private static final Pattern TABLE_RULE = Pattern.compile("^\\|?\\s*:?-{2,}.*$");

    /** A paragraph (sentences) or a table (rows of cells, the first row a header when a rule line followed it). */
    public record Block(List<Piece> sentences, List<List<String>> rows, boolean header, int highlightedRow) {
        public boolean table() {
            return rows != null;
        }
    }

    public record Piece(String text, boolean highlighted) {
    }

    private ChunkView() {
    }

    public static List<Block> of(String text, String answer) {
        List<Block> blocks = new ArrayList<>();
        List<String> paragraph = new ArrayList<>();
        List<String> table = new ArrayList<>();
        for (String line : text.split("\\R", -1)) {
            boolean tableLine = line.trim().startsWith("|") && line.trim().length() > 1;
            if (tableLine) {
                flushParagraph(paragraph, blocks);
                table.add(line.trim());
            } else {
                flushTable(table, blocks);
                if (line.isBlank()) {
                    flushParagraph(paragraph, blocks);
                } else {
                    paragraph.add(line.trim());
                }
            }
        }
        flushParagraph(paragraph, blocks);
        flushTable(table, blocks);
        return highlight(blocks, words(answer));
    }

    private static void flushParagraph(List<String> lines, List<Block> blocks) {
        if (lines.isEmpty()) {
            return;
        }
        List<Piece> sentences = new ArrayList<>();
        for (String s : SENTENCE_END.split(String.join(" ", lines))) {
            sentences.add(new Piece(s, false));
        }
        blocks.add(new Block(sentences, null, false, -1));
        lines.clear();
    }

    private static void flushTable(List<String> lines, List<Block> blocks) {
        if (lines.isEmpty()) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        boolean header = false;
        for (String line : lines) {
            if (TABLE_RULE.matcher(line).matches() && line.replaceAll("[|:\\-\\s]", "").isEmpty()) {
                header = rows.size() == 1;
                continue;
            }
            String inner = line.substring(1, line.endsWith("|") && line.length() > 1 ? line.length() - 1 : line.length());
            List<String> cells = new ArrayList<>();
            for (String cell : inner.split("\\|", -1)) {
                cells.add(cell.trim());
            }
            rows.add(cells);
        }
        blocks.add(new Block(null, rows, header, -1));
        lines.clear();
    }

    /** Marks the one sentence or (non-header) row with the most words in common with the answer. */
    private static List<Block> highlight(List<Block> blocks, Set<String> answerWords) {
        int bestBlock = -1;
        int bestItem = -1;
        int bestOverlap = 0;
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            int n = block.table() ? block.rows().size() : block.sentences().size();
            for (int i = block.table() && block.header() ? 1 : 0; i < n; i++) {
                String text = block.table() ? String.join(" ", block.rows().get(i)) : block.sentences().get(i).text();
                Set<String> shared = words(text);
                shared.retainAll(answerWords);
                if (shared.size() > bestOverlap) {
                    bestOverlap = shared.size();
                    bestBlock = b;
                    bestItem = i;
                }
            }
        }
        if (bestBlock < 0) {
            return blocks;
        }
        Block b = blocks.get(bestBlock);
        Block marked;
        if (b.table()) {
            marked = new Block(null, b.rows(), b.header(), bestItem);
        } else {
            List<Piece> sentences = new ArrayList<>(b.sentences());
            sentences.set(bestItem, new Piece(sentences.get(bestItem).text(), true));
            marked = new Block(sentences, null, false, -1);
        }
        List<Block> out = new ArrayList<>(blocks);
        out.set(bestBlock, marked);
        return out;
    }

    /** Lower-case words of three or more characters (short ones, like "a" or "of", tell nothing) and all numbers. */
    static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        var m = WORD.matcher(text == null ? "" : text);
        while (m.find()) {
            String w = m.group().toLowerCase(Locale.ROOT).replaceAll("[.]+$", "");
            if (w.length() >= 3 || w.chars().anyMatch(Character::isDigit)) {
                out.add(w);
            }
        }
        return out;
    }
}
