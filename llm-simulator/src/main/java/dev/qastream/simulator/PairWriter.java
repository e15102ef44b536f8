package dev.qastream.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the answer a model would give for a chunk: pairs whose answers state the chunk's facts, a share of
 * them wrong on purpose. Deterministic from the chunk text and the seed, and of a length that varies from
 * chunk to chunk, so latencies differ the way real ones do.
 *
 * <p>Like a real model, one call answers only some of a chunk's parameters ({@link #parametersPerCall}): the first
 * ones of the chunk, plus every parameter that the prompt names outside the document block (a coverage follow-up's
 * focus), and those first.
 */
final class PairWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Pair(String question, String answer, String type) {
    }

    private PairWriter() {
    }

    /** Parameters answered per call by default: a third of the chunk's, and all of a chunk of three or fewer. */
    static int parametersPerCall(int parameters, int setting) {
        if (setting > 0) {
            return Math.min(parameters, setting);
        }
        return Math.min(parameters, Math.max(AUTO_MIN_PARAMETERS, (parameters + 2) / 3));
    }

    static final int AUTO_MIN_PARAMETERS = 3;

    static List<Pair> pairs(String document, int requested, double wrongFactRate, long seed) {
        return pairs(document, requested, wrongFactRate, seed, Integer.MAX_VALUE, "");
    }

    /**
     * @param factsPerCall parameters one call answers (0: {@link #parametersPerCall}'s default)
     * @param outside      the prompt's text outside the document block: parameters it names are the focus
     */
    static List<Pair> pairs(String document, int requested, double wrongFactRate, long seed, int factsPerCall, String outside) {
        ChunkFacts facts = ChunkFacts.parse(document);
        int hash = document.hashCode();
        String about = facts.title().isEmpty() ? "this feature" : facts.title();
        List<ChunkFacts.Param> focused = facts.params().stream().filter(p -> named(outside, p.name())).toList();
        // A follow-up is a new call: its wrong facts are drawn anew, not the first pass's mistakes repeated.
        SplittableRandom random = new SplittableRandom(seed ^ hash ^ (focused.isEmpty() ? 0 : outside.hashCode()));
        List<ChunkFacts.Param> answered = new ArrayList<>(focused);
        int quota = Math.max(focused.size(), parametersPerCall(facts.params().size(), factsPerCall));
        for (ChunkFacts.Param p : facts.params()) {
            if (answered.size() < quota && !answered.contains(p)) {
                answered.add(p);
            }
        }
        // One kind after another across the parameters, so that a few pairs already cover several kinds; the focus
        // first, each of its parameters with its default and its values.
        List<Pair> focus = new ArrayList<>();
        List<Pair> defaults = new ArrayList<>();
        List<Pair> descriptions = new ArrayList<>();
        List<Pair> values = new ArrayList<>();
        for (ChunkFacts.Param p : answered) {
            boolean wrong = random.nextDouble() < wrongFactRate;
            boolean inFocus = focused.contains(p);
            List<Pair> defaultsOf = inFocus ? focus : defaults;
            List<Pair> valuesOf = inFocus ? focus : values;
            if (p.defaultValue() != null) {
                String value = wrong ? wrongValue(p.defaultValue()) : p.defaultValue();
                defaultsOf.add(new Pair("What is the default value of " + p.name() + "?",
                        "The default value of " + p.name() + " is " + value + withUnit(p.unit()) + ".", "parameter"));
            }
            if (!p.description().isEmpty()) {
                // Without a default to get wrong, the wrong fact is an invented parameter name.
                String name = wrong && p.defaultValue() == null ? p.name() + "Mode" : p.name();
                descriptions.add(new Pair("What does " + p.name() + " control?",
                        name + " is the " + lowerFirst(p.description()) + ".", "factual"));
            }
            if (p.validValues() != null) {
                valuesOf.add(new Pair("Which values can " + p.name() + " take?",
                        p.name() + " accepts " + p.validValues() + withUnit(p.unit()) + ".", "parameter"));
            }
        }
        List<Pair> candidates = new ArrayList<>(focus);
        candidates.addAll(defaults);
        candidates.addAll(descriptions);
        facts.counters().forEach((name, description) -> candidates.add(new Pair("What does the counter " + name + " measure?",
                description.isEmpty() ? name + " is a counter of " + about + "." : name + " counts the " + lowerFirst(description) + ".",
                "factual")));
        for (int i = 0; i < facts.sentences().size(); i++) {
            String s = facts.sentences().get(i);
            candidates.add(i % 2 == 0
                    ? new Pair("What does the documentation of " + about + " state about it?", s, "factual")
                    : new Pair("Why is this relevant when operating " + about + "?", "Because " + lowerFirst(s), "reasoning"));
        }
        candidates.addAll(values);
        if (candidates.isEmpty()) {
            candidates.add(new Pair("What is this section about?", "It is about " + about + ".", "factual"));
        }
        // Roughly what was asked: sometimes one fewer (never fewer than the focus), never more than the facts allow.
        int count = Math.max(Math.max(1, Math.min(focus.size(), candidates.size())),
                Math.min(candidates.size(), requested - Math.floorMod(hash, 2)));
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Pair p = candidates.get(i);
            // Some answers carry an extra sentence, so output lengths differ between chunks.
            out.add(Math.floorMod(hash + i, 3) == 0
                    ? new Pair(p.question(), p.answer() + " This is described in the documentation of " + about + ".", p.type())
                    : p);
        }
        return out;
    }

    /** Whether the prompt outside the document names the parameter: "MoClass.name", or its bare name as a word. */
    private static boolean named(String outside, String name) {
        if (outside.isEmpty()) {
            return false;
        }
        String bare = name.substring(name.lastIndexOf('.') + 1);
        return java.util.regex.Pattern.compile("(?<![\\w.])(?:" + java.util.regex.Pattern.quote(name) + "|"
                + java.util.regex.Pattern.quote(bare) + ")(?!\\w)").matcher(outside).find();
    }

    static String json(List<Pair> pairs) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("pairs");
        for (Pair p : pairs) {
            array.addObject().put("question", p.question()).put("answer", p.answer()).put("type", p.type());
        }
        return root.toPrettyString();
    }

    /** The same answer in a shape that ignores the schema: other key names. */
    static String schemaViolating(List<Pair> pairs) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("result");
        for (Pair p : pairs) {
            array.addObject().put("q", p.question()).put("a", p.answer());
        }
        return root.toString();
    }

    private static String wrongValue(String value) {
        String v = value.strip();
        if (v.equalsIgnoreCase("false")) {
            return "true";
        }
        if (v.equalsIgnoreCase("true")) {
            return "false";
        }
        try {
            return String.valueOf(Long.parseLong(v) * 2 + 1);
        } catch (NumberFormatException e) {
            return "automatic";
        }
    }

    private static String withUnit(String unit) {
        return unit == null || unit.isBlank() ? "" : " " + unit;
    }

    private static String lowerFirst(String s) {
        String t = s.strip().replaceAll("[.]+$", "");
        return t.isEmpty() || (t.length() > 1 && Character.isUpperCase(t.charAt(1))) ? t
                : Character.toLowerCase(t.charAt(0)) + t.substring(1);
    }
}
