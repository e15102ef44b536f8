package dev.qastream.scoring;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.QaPair;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Structural score of a pair against its chunk: 1 minus the penalties of the failed checks, floored at 0.
 * Penalties are sized against the 0.75 acceptance threshold: a severe defect (0.30 or more) rejects a
 * pair on its own, a minor one (0.15 or less) alone does not, two minor ones together do.
 *
 * <pre>
 * check                                              penalty
 * answer is empty                                    1.00  nothing to learn from
 * answer repeats the question                        0.50
 * &lt;think&gt; tags left in                               0.50  reasoning-model leakage
 * JSON left in                                       0.40  unparsed structured output
 * text addresses the model ("ignore previous ...")    1.00  prompt injection or model talk
 * unknown parameter or counter mentioned             0.30 each, at most 0.60  (invented: nothing ingested has it)
 * parameter or counter of another document only     0.15 each, at most 0.30
 * question does not end with '?'                     0.30
 * answer longer than 300 words                       0.30
 * markdown or HTML markup left in                    0.20
 * prompt labels ("Question:", "Answer:") left in     0.20
 * question does not start with a question word       0.15
 * question shorter than 3 or longer than 60 words    0.15
 * answer shorter than 3 words                        0.15
 * answer never names what the question asks about   0.15  (a parameter or counter of the chunk)
 * names no parameter, counter or term of the chunk   0.10
 * </pre>
 */
public final class StructuralScorer {
    static final String MISSING_SUBJECT = "answer never names ";
    static final int MIN_QUESTION_WORDS = 3;
    static final int MAX_QUESTION_WORDS = 60;
    static final int MIN_ANSWER_WORDS = 3;
    static final int MAX_ANSWER_WORDS = 300;

    private static final Set<String> QUESTION_WORDS = Set.of("what", "which", "who", "whom", "whose", "when", "where",
            "why", "how", "is", "are", "was", "were", "do", "does", "did", "can", "could", "should", "would", "will",
            "shall", "may", "might", "must", "has", "have", "had");
    // "In which release ...", "Under what conditions ...": a preposition before the question word.
    private static final Set<String> PREPOSITIONS = Set.of("in", "on", "at", "for", "from", "to", "under", "with",
            "by", "after", "before", "during", "between", "of", "into", "within", "over");
    // Qualified parameter (MoClass.param), pm counter, or bare camelCase parameter (at least two lower-case letters
    // first, so eNodeB, gNB and dBm are not mistaken for parameters).
    private static final Pattern NAME = Pattern.compile(
            "\\b([A-Z][A-Za-z0-9]+\\.[a-z][A-Za-z0-9]+)\\b|\\b(pm[A-Z][A-Za-z0-9]*)\\b|\\b([a-z]{2,}[0-9]*[A-Z][A-Za-z0-9]*)\\b");
    private static final Set<String> NOT_PARAMETERS = Set.of("mmWave", "macOS", "ipv4", "ipv6", "iPv4", "iPv6");
    // "Node.js" or "README.md" look like MoClass.param but are file or product names.
    private static final Set<String> FILE_EXTENSIONS = Set.of("js", "md", "py", "txt", "com", "org", "net", "io", "h",
            "c", "cpp", "conf", "cfg", "yaml", "yml", "json", "xml", "html", "pdf", "sh", "so", "log", "csv", "java");
    private static final Pattern THINK = Pattern.compile("(?i)</?think\\s*>");
    private static final Pattern JSON = Pattern.compile("^\\s*[\\[{]|\\{\\s*\"|\"[A-Za-z_]+\"\\s*:");
    private static final Pattern MARKUP = Pattern.compile(
            "\\*\\*|__|`|(?m)^\\s*#{1,6}\\s|\\[[^\\]]+]\\([^)]*\\)|\\|\\s*-{3,}|</?(?!think\\b)[a-zA-Z][a-zA-Z0-9]*(?:\\s[^>]*)?>");
    private static final Pattern LABEL = Pattern.compile("(?im)^\\s*(question|answer|q|a)\\s*:");
    // Words that restate rather than inform: "It is X." adds nothing to "What is X?".
    private static final Set<String> FILLER = Set.of("it", "is", "are", "the", "a", "an", "this", "that");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    public StructuralScore score(QaPair pair, Chunk chunk) {
        return score(pair, chunk, Catalogue.EMPTY);
    }

    /** Names the chunk lacks are looked up in {@code catalogue}: known elsewhere costs less than invented. */
    public StructuralScore score(QaPair pair, Chunk chunk, Catalogue catalogue) {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(chunk, "chunk");
        String q = pair.getQuestion() == null ? "" : pair.getQuestion().strip();
        String a = pair.getAnswer() == null ? "" : pair.getAnswer().strip();
        Penalties p = new Penalties();
        long cut = OversizedPairs.originalLength(a);
        p.failIf(cut >= 0, 1.0, "pair too large for a record (" + cut + " characters of question and answer, at most "
                + OversizedPairs.MAX_TEXT_CHARS + "): cut on arrival and rejected");

        int answerWords = words(a);
        p.failIf(answerWords == 0, 1.0, "answer is empty");
        p.failIf(answerWords > MAX_ANSWER_WORDS, 0.30, "answer is too long (" + answerWords + " words, at most " + MAX_ANSWER_WORDS + ")");
        p.failIf(answerWords > 0 && answerWords < MIN_ANSWER_WORDS, 0.15, "answer is too short (" + answerWords + (answerWords == 1 ? " word)" : " words)"));
        p.failIf(answerWords > 0 && repeats(a, q), 0.50, "answer repeats the question");

        int questionWords = words(q);
        p.failIf(!q.endsWith("?"), 0.30, "question does not end with '?'");
        p.failIf(!startsLikeQuestion(q), 0.15, "question does not start with a question word");
        p.failIf(questionWords < MIN_QUESTION_WORDS || questionWords > MAX_QUESTION_WORDS, 0.15,
                "question has " + questionWords + " words (expected " + MIN_QUESTION_WORDS + "-" + MAX_QUESTION_WORDS + ")");

        String both = q + "\n" + a;
        p.failIf(THINK.matcher(both).find(), 0.50, "contains <think> tags");
        p.failIf(JSON.matcher(q).find() || JSON.matcher(a).find(), 0.40, "contains JSON");
        p.failIf(MARKUP.matcher(both).find(), 0.20, "contains markdown or HTML markup");
        p.failIf(LABEL.matcher(both).find(), 0.20, "contains prompt labels such as 'Question:'");

        String instruction = InstructionCheck.find(both).orElse(null);
        p.failIf(instruction != null, 1.0, "addresses the model, not the reader: \"" + instruction + "\"");

        ChunkVocabulary vocabulary = new ChunkVocabulary(chunk);
        double unknownPenalty = 0;
        double elsewherePenalty = 0;
        List<String> invented = new ArrayList<>();
        for (String unknown : unknownNames(both, vocabulary)) {
            String kind = unknown.matches("pm[A-Z].*") ? "counter " : "parameter ";
            List<ParameterFact> elsewhere = catalogue.facts(ParameterFact.bare(unknown));
            if (!elsewhere.isEmpty()) {
                double step = Math.min(0.15, 0.30 - elsewherePenalty);
                elsewherePenalty += step;
                p.failIf(true, step, "mentions " + kind + unknown + ", which this chunk does not have (it is in "
                        + elsewhere.get(0).documentId() + ")");
                continue;
            }
            invented.add(unknown);
            double step = Math.min(0.30, 0.60 - unknownPenalty);
            unknownPenalty += step;
            p.failIf(true, step, "mentions unknown " + kind + unknown);
        }
        List<String> subjects = subjects(q, chunk);
        p.failIf(!subjects.isEmpty() && subjects.stream().noneMatch(n -> mentions(a, n)), 0.15,
                MISSING_SUBJECT + String.join(" or ", subjects) + ", which the question asks about");
        p.failIf(!vocabulary.isNamedIn(both), 0.10, "names no parameter, counter or term of the chunk");
        StructuralScore s = p.result();
        return new StructuralScore(s.score(), s.reasons(), invented, instruction);
    }

    private static Set<String> unknownNames(String s, ChunkVocabulary vocabulary) {
        Set<String> unknown = new LinkedHashSet<>();
        Matcher m = NAME.matcher(s);
        while (m.find()) {
            String name = m.group();
            boolean fileName = m.group(1) != null && FILE_EXTENSIONS.contains(name.substring(name.lastIndexOf('.') + 1));
            if (!fileName && !NOT_PARAMETERS.contains(name) && !vocabulary.knowsName(name)) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    /** Bare names of the chunk's parameters and counters that the question names. */
    private static List<String> subjects(String question, Chunk chunk) {
        List<String> out = new ArrayList<>();
        for (ParameterFact f : ParameterFact.of(chunk)) {
            if (mentions(question, f.name()) && !out.contains(f.name())) {
                out.add(f.name());
            }
        }
        return out;
    }

    private static boolean mentions(String text, String name) {
        return WordPatterns.of(name, true).matcher(text).find();
    }

    private static boolean startsLikeQuestion(String q) {
        String[] w = Arrays.stream(NON_WORD.split(q.toLowerCase(Locale.ROOT))).filter(x -> !x.isEmpty()).toArray(String[]::new);
        return w.length > 0 && (QUESTION_WORDS.contains(w[0])
                || (w.length > 1 && PREPOSITIONS.contains(w[0]) && QUESTION_WORDS.contains(w[1])));
    }

    /**
     * The answer is the question again: the same words, or the whole question echoed inside it, or no
     * word that the question lacks. "The default value of X is info." adds "info" and is a real answer.
     */
    private static boolean repeats(String answer, String question) {
        String a = normalize(answer);
        String q = normalize(question);
        if (q.isEmpty()) {
            return false;
        }
        if (a.equals(q) || (words(q) >= MIN_QUESTION_WORDS && a.contains(q))) {
            return true;
        }
        Set<String> questionWords = new HashSet<>(Arrays.asList(q.split(" ")));
        return Arrays.stream(a.split(" ")).allMatch(w -> questionWords.contains(w) || FILLER.contains(w));
    }

    private static String normalize(String s) {
        return NON_WORD.matcher(s.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
    }

    private static int words(String s) {
        return s.isBlank() ? 0 : s.strip().split("\\s+").length;
    }

    private static final class Penalties {
        private double total;
        private final List<String> reasons = new ArrayList<>();

        void failIf(boolean failed, double penalty, String reason) {
            if (failed) {
                total += penalty;
                reasons.add(reason);
            }
        }

        StructuralScore result() {
            // Rounded so 1 - 0.15 - 0.10 is exactly 0.75, not 0.7499999.
            double score = Math.round(Math.max(0, 1 - total) * 10_000) / 10_000.0;
            return new StructuralScore(score, reasons);
        }
    }
}
