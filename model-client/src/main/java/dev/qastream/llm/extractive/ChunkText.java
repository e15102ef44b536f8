package dev.qastream.llm.extractive;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads prose and counter descriptions out of a chunk's text: raw markdown, or the chunker's form
 * (a "Section > Subsection" path line, then blocks separated by blank lines, table rows as
 * "Header: value | Header: value").
 */
final class ChunkText {
    static final Pattern OVERVIEW = Pattern.compile("(?i)\\b(description|overview|introduction|summary)\\b");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$");
    private static final Pattern METADATA = Pattern.compile(
            "(?i)^(doctitle|title|product|products|feature state|feature name|feature identity|revision|date)\\s*:.*");
    private static final Pattern LIST_ITEM = Pattern.compile("^(?:[-*+]|\\d+[.)])\\s+.*");
    // A sentence about a counter only describes it when it says what is counted.
    private static final Pattern MEASURING = Pattern.compile(
            "(?i)\\b(counts?|measures?|stepped|incremented|increased|records?|registers|number of|sum of|accumulated|total)\\b");
    private static final Pattern NESTED_DESCRIPTION = Pattern.compile("(?i)^(?:description|meaning)\\s*:\\s*(.+)$");
    private static final Pattern ASIDE = Pattern.compile("(?i)^(note|important|warning|caution|tip|todo)\\b");
    private static final Pattern DANGLING = Pattern.compile(
            "(?i)\\b(?:the following|as follows|shown here|this (?:figure|table|tutorial|page))\\b|\\b(?:below|above)\\s*[.:]"
                    + "|\\b(?:below|above) (?:commands?|tables?|figures?|examples?|steps?|lists?|sections?|output)\\b"
                    + "|\\b(?:shown|listed|described|mentioned|given|see|command|table|figure|example|section) (?:below|above)\\b");
    // Opening words that refer back to text the answer will not carry.
    private static final Pattern LEADS_ON = Pattern.compile("(?i)^(it|they|these|those|here|also|however|then|thus|therefore)\\b");
    private static final Pattern CELL_LABEL = Pattern.compile("^[A-Za-z][\\w ()/.-]{0,40}?:\\s+");
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
            sentences.addAll(Prose.sentences(Prose.clean(paragraph)));
        }
        // Skip to the first sentence that stands on its own, then take the run of such sentences after it.
        StringBuilder out = new StringBuilder();
        int taken = 0;
        for (String s : sentences) {
            boolean fits = standsAlone(s) && (taken > 0 ? Prose.words(out + " " + s) <= MAX_OVERVIEW_WORDS
                    : !LEADS_ON.matcher(s).find());
            if (!fits && taken > 0) {
                break;
            }
            if (fits) {
                out.append(taken == 0 ? "" : " ").append(s);
                if (++taken == MAX_OVERVIEW_SENTENCES) {
                    break;
                }
            }
        }
        return out.toString();
    }

    /**
     * A sentence worth giving as an answer on its own: complete, at least four words, not the
     * lower-case tail of a sentence broken by a code block, not an aside ("Note: ..."), and not
     * pointing at a list, table or figure that the answer will not carry ("the following", "below").
     */
    static boolean standsAlone(String s) {
        if (!(s.endsWith(".") || s.endsWith("!")) || Prose.words(s) < 4 || ASIDE.matcher(s).find() || DANGLING.matcher(s).find()) {
            return false;
        }
        String first = s.split("\\s+", 2)[0];
        char c = first.charAt(0);
        // "eNodeB ..." or "nrUE ..." are identifiers, not a lower-case continuation.
        return Character.isUpperCase(c) || Character.isDigit(c) || c == '"' || first.chars().skip(1).anyMatch(Character::isUpperCase);
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
     * What the text says about a counter, best source first: the description after "pmXxx:" in a list,
     * the next cell of a table row, the clause of a sentence in which the counter is the subject
     * ("..., pmXxx counts exits, ..."), or else a whole sentence that says what it counts.
     */
    static Optional<String> counterAnswer(String text, String counter) {
        String subject = Templates.COUNTER_SUBJECT.formatted(counter);
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.contains(counter)) {
                continue;
            }
            String description = line.contains("|") ? tableCellAfter(line, counter) : listedDescription(lines, i, counter);
            String answer = Phrasing.describe(subject, description, true);
            if (!answer.isEmpty()) {
                return Optional.of(answer);
            }
        }
        List<String> sentences = new ArrayList<>();
        List<String> texts = new ArrayList<>(paragraphs(lines));
        lines.stream().filter(l -> LIST_ITEM.matcher(l.strip()).matches()).map(Prose::stripListMarker).forEach(texts::add);
        texts.forEach(t -> sentences.addAll(Prose.sentences(Prose.clean(t))));
        // The clause runs from the counter's verb to the next comma, colon, semicolon or the next counter.
        Pattern clause = Pattern.compile("(?<![\\w.])" + Pattern.quote(counter) + "\\s+(\\p{Ll}(?:(?!\\bpm[A-Z])[^,;:])*)");
        for (String s : sentences) {
            Matcher m = clause.matcher(s);
            if (m.find() && Phrasing.startsWithVerb(m.group(1)) && Prose.words(m.group(1)) >= 2) {
                String answer = Phrasing.describe(subject, m.group(1).replaceFirst("(?:\\s+and)?\\s*\\.?\\s*$", ""), true);
                if (!answer.isEmpty()) {
                    return Optional.of(answer);
                }
            }
        }
        Pattern mention = Pattern.compile("(?<![\\w.])" + Pattern.quote(counter) + "(?!\\w)");
        for (String s : sentences) {
            if (mention.matcher(s).find() && MEASURING.matcher(s).find() && Prose.words(s) >= 5 && !DANGLING.matcher(s).find()) {
                return Optional.of(Prose.asSentence(s));
            }
        }
        return Optional.empty();
    }

    /** Reads "| pmX | text |" and the chunker's "Counter: pmX | Description: text" rows. */
    private static String tableCellAfter(String row, String counter) {
        List<String> cells = new ArrayList<>();
        for (String c : row.split("\\|")) {
            String value = Prose.clean(CELL_LABEL.matcher(c.strip()).replaceFirst(""));
            if (!value.isBlank()) {
                cells.add(value);
            }
        }
        int at = cells.indexOf(counter);
        return at >= 0 && at + 1 < cells.size() ? cells.get(at + 1) : "";
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** "- **pmX**: text", "pmX - text", "pmX counts ...", or "- **pmX**" with a nested "Description: text". */
    private static String listedDescription(List<String> lines, int at, String counter) {
        boolean listed = LIST_ITEM.matcher(lines.get(at).strip()).matches();
        String item = Prose.clean(Prose.stripListMarker(lines.get(at)));
        // "pmFooBar: ..." is not about pmFoo.
        if (!item.startsWith(counter) || (item.length() > counter.length() && isWordChar(item.charAt(counter.length())))) {
            return "";
        }
        String rest = item.substring(counter.length()).strip();
        if (!listed && !rest.isEmpty()) {
            // In running text the next sentence is often about the next counter.
            rest = Prose.sentences(rest).get(0);
        }
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
