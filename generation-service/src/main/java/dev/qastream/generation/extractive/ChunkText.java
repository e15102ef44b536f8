package dev.qastream.generation.extractive;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads prose and counter descriptions out of a chunk's raw markdown text. */
final class ChunkText {
    static final Pattern OVERVIEW = Pattern.compile("(?i)\\b(description|overview|introduction|summary)\\b");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$");
    private static final Pattern METADATA = Pattern.compile("(?i)^(doctitle|title|product|products|feature state|feature name|feature identity|revision|date)\\s*:.*");
    private static final Pattern LIST_ITEM = Pattern.compile("^(?:[-*+]|\\d+[.)])\\s+.*");
    // A sentence about a counter only describes it when it says what is counted.
    private static final Pattern MEASURING = Pattern.compile(
            "(?i)\\b(counts?|measures?|stepped|incremented|increased|records?|registers|number of|sum of|accumulated|total)\\b");
    private static final Pattern NESTED_DESCRIPTION = Pattern.compile("(?i)^(?:description|meaning)\\s*:\\s*(.+)$");
    private static final int MAX_OVERVIEW_SENTENCES = 3;
    private static final int MAX_OVERVIEW_WORDS = 80;

    private ChunkText() {
    }

    static boolean hasOverviewHeading(String text) {
        return text.lines().map(l -> HEADING.matcher(l.strip())).anyMatch(m -> m.matches() && OVERVIEW.matcher(m.group(1)).find());
    }

    /**
     * The first 1-3 complete sentences of prose: read from the Description/Overview heading when the
     * text has one, skipping metadata lines, lists, tables and code, which are not feature prose.
     */
    static String overview(String text) {
        List<String> lines = text.lines().toList();
        int from = 0;
        int to = lines.size();
        for (int i = 0; i < lines.size(); i++) {
            var m = HEADING.matcher(lines.get(i).strip());
            if (m.matches() && OVERVIEW.matcher(m.group(1)).find()) {
                from = i + 1;
                to = from;
                while (to < lines.size() && !HEADING.matcher(lines.get(to).strip()).matches()) {
                    to++;
                }
                break;
            }
        }
        List<String> sentences = new ArrayList<>();
        for (String paragraph : paragraphs(lines.subList(from, to))) {
            for (String s : Prose.sentences(Prose.clean(paragraph))) {
                // A sentence ending in ':' introduces a list we skipped; a fragment without a period is a caption.
                if (s.endsWith(".") || s.endsWith("!")) {
                    sentences.add(s);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        int taken = 0;
        for (String s : sentences) {
            if (taken == MAX_OVERVIEW_SENTENCES || (taken > 0 && Prose.words(out + " " + s) > MAX_OVERVIEW_WORDS)) {
                break;
            }
            if (taken == 0 && Prose.words(s) < 4) {
                return "";
            }
            out.append(taken == 0 ? "" : " ").append(s);
            taken++;
        }
        return out.toString();
    }

    private static List<String> paragraphs(List<String> lines) {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean fenced = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("```") || line.startsWith("~~~")) {
                fenced = !fenced;
                flush(paragraphs, current);
                continue;
            }
            boolean prose = !fenced && !line.isEmpty() && !HEADING.matcher(line).matches() && !METADATA.matcher(line).matches()
                    && !LIST_ITEM.matcher(line).matches() && !line.startsWith("|") && !raw.startsWith("  ");
            if (prose) {
                current.append(current.isEmpty() ? "" : " ").append(line.startsWith(">") ? line.substring(1).strip() : line);
            } else {
                flush(paragraphs, current);
            }
        }
        flush(paragraphs, current);
        return paragraphs;
    }

    private static void flush(List<String> paragraphs, StringBuilder current) {
        if (!current.isEmpty()) {
            paragraphs.add(current.toString());
            current.setLength(0);
        }
    }

    /**
     * What the text says about a counter: the description after "pmXxx:" in a list or the next cell
     * of a table row (phrased by {@link Phrasing}), or else a whole sentence that says what it counts.
     */
    static Optional<String> counterAnswer(String text, String counter) {
        String subject = Templates.COUNTER_SUBJECT.formatted(counter);
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.contains(counter)) {
                continue;
            }
            String description = line.startsWith("|") ? tableCellAfter(line, counter) : listedDescription(lines, i, counter);
            String answer = Phrasing.describe(subject, description, true);
            if (!answer.isEmpty()) {
                return Optional.of(answer);
            }
        }
        List<String> texts = new ArrayList<>(paragraphs(lines));
        lines.stream().filter(l -> LIST_ITEM.matcher(l.strip()).matches()).map(Prose::stripListMarker).forEach(texts::add);
        for (String t : texts) {
            for (String s : Prose.sentences(Prose.clean(t))) {
                if (s.contains(counter) && MEASURING.matcher(s).find() && Prose.words(s) >= 5) {
                    return Optional.of(Prose.asSentence(s));
                }
            }
        }
        return Optional.empty();
    }

    private static String tableCellAfter(String row, String counter) {
        List<String> cells = new ArrayList<>();
        for (String c : row.split("\\|")) {
            if (!c.isBlank()) {
                cells.add(Prose.clean(c));
            }
        }
        int at = cells.indexOf(counter);
        return at >= 0 && at + 1 < cells.size() ? cells.get(at + 1) : "";
    }

    /** "- **pmX**: text", "pmX - text", "pmX counts ...", or "- **pmX**" with a nested "Description: text". */
    private static String listedDescription(List<String> lines, int at, String counter) {
        String item = Prose.clean(Prose.stripListMarker(lines.get(at)));
        if (!item.startsWith(counter)) {
            return "";
        }
        String rest = item.substring(counter.length()).strip();
        if (rest.matches("^[:\\-\u2013\u2014].*")) {
            rest = rest.substring(1).strip();
        }
        for (int j = at + 1; rest.isEmpty() && j < lines.size() && lines.get(j).startsWith(" "); j++) {
            Matcher m = NESTED_DESCRIPTION.matcher(Prose.clean(Prose.stripListMarker(lines.get(j))));
            if (m.matches()) {
                rest = m.group(1);
            }
        }
        return rest;
    }
}
