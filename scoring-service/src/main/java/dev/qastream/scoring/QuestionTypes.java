package dev.qastream.scoring;

import dev.qastream.schemas.QaPair;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The kind of a question: the generator's label when it set one, else read from the wording. */
public final class QuestionTypes {
    public static final List<String> TYPES = List.of("factual", "parameter", "procedure", "reasoning", "comparison",
            "troubleshooting");
    private static final Pattern TROUBLESHOOTING = Pattern.compile(
            "\\b(troubleshoot\\w*|fail\\w*|error\\w*|problem\\w*|issue\\w*|not working|drops?|degrad\\w*|diagnos\\w*|fix\\w*|wrong)\\b");
    private static final Pattern COMPARISON = Pattern.compile(
            "\\b(differ\\w*|difference|compare\\w*|comparison|versus|vs\\.?|better|instead of|rather than)\\b|\\bor\\b.*\\?$");
    private static final Pattern PROCEDURE = Pattern.compile(
            "^(how (do|can|should|to|does one)|what (are the )?steps)|\\b(configure|enable|activate|set up|install|procedure|steps?)\\b");
    private static final Pattern REASONING = Pattern.compile("^(why|what happens|what is the (effect|impact|reason))|\\b(why|impact|effect|consequence)\\b");
    private static final Pattern PARAMETER = Pattern.compile(
            "\\b(default|valid values?|range|mo class|unit|parameter|counter|attribute)\\b|\\b[A-Z][A-Za-z0-9]+\\.[a-z][A-Za-z0-9]+\\b|\\bpm[A-Z]");

    private QuestionTypes() {
    }

    public static String of(QaPair pair) {
        String t = pair.getQuestionType();
        if (t != null && TYPES.contains(t.toLowerCase(Locale.ROOT).strip())) {
            return t.toLowerCase(Locale.ROOT).strip();
        }
        return classify(pair.getQuestion());
    }

    public static String classify(String question) {
        String raw = question == null ? "" : question.strip();
        String q = raw.toLowerCase(Locale.ROOT);
        if (TROUBLESHOOTING.matcher(q).find()) {
            return "troubleshooting";
        }
        if (COMPARISON.matcher(q).find()) {
            return "comparison";
        }
        if (PROCEDURE.matcher(q).find()) {
            return "procedure";
        }
        if (REASONING.matcher(q).find()) {
            return "reasoning";
        }
        if (PARAMETER.matcher(q).find() || PARAMETER.matcher(raw).find()) {
            return "parameter";
        }
        return "factual";
    }
}
