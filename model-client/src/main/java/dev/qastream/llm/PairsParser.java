package dev.qastream.llm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.qastream.llm.GeneratedPair;
import dev.qastream.llm.GenerationException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads the pairs out of what a model wrote, for servers that ignore the requested JSON schema: strips
 * {@code <think>} blocks (also empty ones, or a lone closing tag), code fences and prose around the JSON,
 * tolerates trailing commas, and accepts {@code {"pairs":[...]}}, a bare array or a single pair object.
 * Items without a question or an answer are dropped; nothing usable left is {@link GenerationException.Kind#UNPARSEABLE}.
 */
public final class PairsParser {
    public static final Set<String> TYPES = Set.of("factual", "parameter", "procedure", "reasoning", "comparison", "troubleshooting");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();
    private static final Pattern THINK_BLOCK = Pattern.compile("<think>.*?</think>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern FENCE = Pattern.compile("```[a-zA-Z]*");

    private PairsParser() {
    }

    public static List<GeneratedPair> parse(String raw) throws GenerationException {
        if (raw == null || raw.isBlank()) {
            throw unparseable("the model returned empty content", raw, null);
        }
        String text = clean(raw);
        // Prose may hold brackets too ("[1]", "{see below}"): try each opening bracket until one yields pairs,
        // resuming after what an attempt read, so a broken object is never mined for a fragment of itself.
        IOException firstError = null;
        boolean sawJson = false;
        int start = firstOf(text, '{', '[', 0);
        for (int attempts = 0; start >= 0 && attempts < 32; attempts++) {
            long consumed;
            JsonNode root = null;
            try (JsonParser parser = JSON.createParser(text.substring(start))) {
                root = JSON.readTree(parser); // reads the first JSON value; prose after it is ignored
                consumed = parser.currentLocation().getCharOffset();
            } catch (JsonProcessingException e) {
                firstError = firstError == null ? e : firstError;
                consumed = e.getLocation() == null ? 1 : e.getLocation().getCharOffset();
            } catch (IOException e) {
                firstError = firstError == null ? e : firstError;
                consumed = 1;
            }
            if (root != null) {
                sawJson = true;
                List<GeneratedPair> pairs = pairs(root);
                if (!pairs.isEmpty()) {
                    return pairs;
                }
            }
            start = firstOf(text, '{', '[', start + (int) Math.max(1, consumed));
        }
        if (!sawJson && firstError != null) {
            String why = firstError instanceof JsonProcessingException j ? j.getOriginalMessage() : firstError.getMessage();
            throw unparseable("the model returned malformed JSON: " + why, raw, firstError);
        }
        if (!sawJson) {
            throw unparseable("the model returned no JSON", raw, null);
        }
        throw unparseable("model returned no pairs", raw, null);
    }

    /** The model's text without {@code <think>} blocks (or a lone closing tag) and code fences. */
    public static String clean(String raw) {
        String text = THINK_BLOCK.matcher(raw).replaceAll("");
        int lone = text.toLowerCase(Locale.ROOT).lastIndexOf("</think>");
        if (lone >= 0) { // thinking whose opening tag was in the chat template, not in the output
            text = text.substring(lone + "</think>".length());
        }
        return FENCE.matcher(text).replaceAll("");
    }

    /**
     * The first JSON object in a model's text (after {@link #clean}) that {@code accept} takes, trying each
     * opening brace in turn past prose; empty when there is none.
     */
    public static Optional<JsonNode> firstObject(String raw, Predicate<JsonNode> accept) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String text = clean(raw);
        int start = text.indexOf('{');
        for (int attempts = 0; start >= 0 && attempts < 32; attempts++) {
            long consumed;
            try (JsonParser parser = JSON.createParser(text.substring(start))) {
                JsonNode root = JSON.readTree(parser);
                if (root != null && root.isObject() && accept.test(root)) {
                    return Optional.of(root);
                }
                consumed = parser.currentLocation().getCharOffset();
            } catch (JsonProcessingException e) {
                consumed = e.getLocation() == null ? 1 : e.getLocation().getCharOffset();
            } catch (IOException e) {
                consumed = 1;
            }
            start = text.indexOf('{', start + (int) Math.max(1, consumed));
        }
        return Optional.empty();
    }

    private static List<GeneratedPair> pairs(JsonNode root) {
        List<GeneratedPair> pairs = new ArrayList<>();
        for (JsonNode item : items(root)) {
            String question = text(item, "question");
            String answer = text(item, "answer");
            if (!question.isEmpty() && !answer.isEmpty()) {
                String type = text(item, "type").toLowerCase(Locale.ROOT);
                pairs.add(new GeneratedPair(question, answer, TYPES.contains(type) ? type : null));
            }
        }
        return pairs;
    }

    private static Iterable<JsonNode> items(JsonNode root) {
        if (root == null) {
            return List.of();
        }
        if (root.isArray()) {
            return root;
        }
        if (root.isObject()) {
            if (root.path("pairs").isArray()) {
                return root.path("pairs");
            }
            if (root.has("question")) {
                return List.of(root);
            }
            // {"qa_pairs": [...]}, {"questions": [...]}: the first array of the object.
            for (Iterator<JsonNode> it = root.elements(); it.hasNext(); ) {
                JsonNode value = it.next();
                if (value.isArray()) {
                    return value;
                }
            }
        }
        return List.of();
    }

    private static String text(JsonNode item, String field) {
        JsonNode v = item.path(field);
        return v.isTextual() ? v.asText().strip() : "";
    }

    private static int firstOf(String text, char a, char b, int from) {
        int i = text.indexOf(a, from);
        int j = text.indexOf(b, from);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static GenerationException unparseable(String message, String raw, Throwable cause) {
        return new GenerationException(message, GenerationException.Kind.UNPARSEABLE, raw, cause);
    }
}
