package dev.qastream.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judge reply mode: when a request's JSON schema has an {@code accuracy} property (the scoring judge's
 * schema), the simulated model grades the pair between {@code <question>} and {@code <answer>} against the
 * {@code <document>} instead of writing pairs. Deterministic: accuracy falls with every name of the answer
 * that the document does not hold and is 1 for a number it does not hold; relevance falls with the
 * question's words the document lacks.
 */
final class JudgeWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WORD = Pattern.compile("[A-Za-z][\\w.]*[A-Za-z0-9]|-?\\d+(?:\\.\\d+)?");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");

    private JudgeWriter() {
    }

    /** Whether the request asks for a judgement: its schema (Ollama's format or OpenAI's response_format) has accuracy. */
    static boolean wanted(JsonNode body) {
        JsonNode ollama = body.path("format").path("properties");
        JsonNode openAi = body.path("response_format").path("json_schema").path("schema").path("properties");
        return ollama.has("accuracy") || openAi.has("accuracy");
    }

    static String verdict(String user) {
        String document = section(user, "document").toLowerCase(Locale.ROOT);
        String question = section(user, "question");
        String answer = section(user, "answer");
        // The answer's names and numbers are its facts; an answer without any is judged on its longer words.
        List<String> answerFacts = words(answer).stream().filter(JudgeWriter::isFact).toList();
        if (answerFacts.isEmpty()) {
            answerFacts = words(answer).stream().filter(w -> w.length() >= 6).toList();
        }
        int missing = 0;
        boolean wrongNumber = false;
        for (String w : answerFacts) {
            if (!document.contains(w.toLowerCase(Locale.ROOT))) {
                missing++;
                wrongNumber |= NUMBER.matcher(w).matches();
            }
        }
        int accuracy = wrongNumber ? 1 : answerFacts.isEmpty() ? 3 : grade(1 - (double) missing / answerFacts.size());
        List<String> questionWords = words(question);
        long asked = questionWords.stream().filter(w -> document.contains(w.toLowerCase(Locale.ROOT))).count();
        int relevance = questionWords.isEmpty() ? 1 : grade((double) asked / questionWords.size());
        int clarity = answer.strip().endsWith(".") && question.strip().endsWith("?") ? 5 : 3;
        int usefulness = Math.max(1, Math.min(accuracy, relevance));
        ObjectNode o = JSON.createObjectNode()
                .put("accuracy", accuracy).put("relevance", relevance).put("clarity", clarity).put("usefulness", usefulness);
        o.put("reason", missing == 0 ? "every fact of the answer is in the document"
                : missing + " of the answer's facts are not in the document");
        return o.toString();
    }

    /** Names and numbers of at least four characters or with a digit: what an answer can get wrong. */
    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            String w = m.group();
            if (w.length() >= 4 || NUMBER.matcher(w).matches()) {
                out.add(w.endsWith(".") ? w.substring(0, w.length() - 1) : w);
            }
        }
        return out;
    }

    /** A number, or a name: dotted (MoClass.name) or with a capital inside (pmCounter, eNodeB, RSRP). */
    private static boolean isFact(String w) {
        return NUMBER.matcher(w).matches() || w.contains(".") || !w.substring(1).equals(w.substring(1).toLowerCase(Locale.ROOT));
    }

    private static int grade(double share) {
        return 1 + (int) Math.round(4 * share);
    }

    private static String section(String user, String name) {
        Matcher m = Pattern.compile("<" + name + ">(.*?)</" + name + ">", Pattern.DOTALL).matcher(user);
        return m.find() ? m.group(1).strip() : "";
    }
}
