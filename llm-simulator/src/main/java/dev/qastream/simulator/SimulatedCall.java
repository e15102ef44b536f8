package dev.qastream.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the simulated model answers to one chat request: the content (shaped by a content fault, if any),
 * its token counts, the finish reason and how long prefill and decode take at the configured rates.
 */
record SimulatedCall(String content, String finishReason, int promptTokens, int outputTokens,
                     long prefillNanos, long decodeNanos) {

    private static final Pattern DOCUMENT = Pattern.compile("<document>(.*?)</document>", Pattern.DOTALL);
    private static final Pattern REQUESTED = Pattern.compile("(\\d+)\\s+(?:question|pairs)", Pattern.CASE_INSENSITIVE);
    static final int DEFAULT_PAIRS = 4;

    /**
     * @param maxTokens the request's output limit, or a negative value for none
     * @param fault     a content fault (MALFORMED, THINK, EMPTY, TRUNCATED, SCHEMA) or null
     */
    static SimulatedCall answer(JsonNode messages, int maxTokens, Fault fault, SimulatorConfig config) {
        return answer(messages, maxTokens, fault, config, false);
    }

    /** @param judge answer as the scoring judge ({@link JudgeWriter}) instead of with pairs */
    static SimulatedCall answer(JsonNode messages, int maxTokens, Fault fault, SimulatorConfig config, boolean judge) {
        String user = "";
        StringBuilder prompt = new StringBuilder();
        for (JsonNode m : messages) {
            String content = m.path("content").asText("");
            prompt.append(content);
            if ("user".equals(m.path("role").asText())) {
                user = content;
            }
        }
        Matcher doc = DOCUMENT.matcher(user);
        boolean delimited = doc.find();
        String document = delimited ? doc.group(1) : user;
        // What the prompt says besides the document: a follow-up's focus names parameters there.
        String outside = delimited ? user.substring(0, doc.start()) + "\n" + user.substring(doc.end()) : "";
        Matcher req = REQUESTED.matcher(prompt);
        int requested = req.find() ? Integer.parseInt(req.group(1)) : DEFAULT_PAIRS;
        List<PairWriter.Pair> pairs = PairWriter.pairs(document, requested, config.wrongFactRate(), config.seed(),
                config.factsPerCall(), judge ? "" : outside);
        String json = judge ? JudgeWriter.verdict(user) : PairWriter.json(pairs);
        String content = json;
        String finish = "stop";
        if (judge && (fault == Fault.MALFORMED || fault == Fault.SCHEMA)) {
            content = fault == Fault.MALFORMED ? "Sure! My verdict: {\"accuracy\" 4, relevance: }]" : "{\"score\": \"good\"}";
        } else if (fault != null) {
            switch (fault) {
                case MALFORMED -> content = "Sure! Here are the pairs:\n{\"pairs\": [{\"question\" \""
                        + pairs.get(0).question() + "\", answer: }]]";
                case THINK -> content = "<think>\nThe chunk lists parameters; I will ask about their defaults.\n</think>\n\n" + json;
                case EMPTY -> content = "";
                case TRUNCATED -> {
                    content = json.substring(0, json.length() / 2);
                    finish = "length";
                }
                case SCHEMA -> content = PairWriter.schemaViolating(pairs);
                default -> throw new IllegalArgumentException("not a content fault: " + fault);
            }
        }
        if (maxTokens >= 0 && tokens(content) > maxTokens) {
            content = content.substring(0, Math.min(content.length(), maxTokens * 4));
            finish = "length";
        }
        int promptTokens = tokens(prompt);
        int outputTokens = tokens(content);
        return new SimulatedCall(content, finish, promptTokens, outputTokens,
                nanos(promptTokens, config.prefillTps()), nanos(outputTokens, config.decodeTps()));
    }

    long latencyNanos() {
        return prefillNanos + decodeNanos;
    }

    /** About four characters a token, as for English text with the Qwen tokenizer. */
    static int tokens(CharSequence text) {
        return (text.length() + 3) / 4;
    }

    private static long nanos(int tokens, double perSecond) {
        return perSecond <= 0 ? 0 : (long) (tokens / perSecond * 1e9);
    }
}
