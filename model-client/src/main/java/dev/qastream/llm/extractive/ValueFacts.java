package dev.qastream.llm.extractive;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.FocusFact;
import dev.qastream.schemas.Parameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The extractive generator's pairs of one chunk, by kind: the overview, per parameter its value facts (default,
 * valid values with the unit, MO class) and its description, and the counters. Picks the first pass under a cap
 * so that every value fact it can phrase is stated, and the pairs of a follow-up's named facts.
 */
final class ValueFacts {
    /** One parameter: its subject (as questions name it), its value-fact pairs in kind order, its description pair. */
    private record Param(String subject, String bare, Map<String, Map.Entry<String, String>> values,
                         Map.Entry<String, String> control) {
    }

    private final Map<String, String> overview = new LinkedHashMap<>();
    private final List<Param> params = new ArrayList<>();
    private final Map<String, Map.Entry<String, String>> counters = new LinkedHashMap<>();

    private ValueFacts() {
    }

    static ValueFacts of(Chunk chunk, ExtractiveGenerator generator) {
        ValueFacts f = new ValueFacts();
        ExtractiveGenerator.overview(chunk, f.overview);
        Set<String> seen = new LinkedHashSet<>();
        for (Parameter p : chunk.getParameters() == null ? List.<Parameter>of() : chunk.getParameters()) {
            String subject = ExtractiveGenerator.subject(p, chunk);
            if (subject.isEmpty() || !seen.add(subject)) {
                continue; // a parameter listed twice takes one place
            }
            Map<String, Map.Entry<String, String>> values = new LinkedHashMap<>();
            one(m -> ExtractiveGenerator.defaultValue(p, chunk, m)).ifPresent(e -> values.put("default", e));
            one(m -> ExtractiveGenerator.validValues(p, chunk, m)).ifPresent(e -> values.put("values", e));
            one(m -> ExtractiveGenerator.moClass(p, m)).ifPresent(e -> values.put("mo-class", e));
            f.params.add(new Param(subject, ExtractiveGenerator.bareName(p), values,
                    one(m -> ExtractiveGenerator.control(p, chunk, m)).orElse(null)));
        }
        if (chunk.getCounters() != null) {
            for (String c : chunk.getCounters()) {
                one(m -> ExtractiveGenerator.counter(chunk.getText(), c, m))
                        .ifPresent(e -> f.counters.putIfAbsent(Prose.value(c), e));
            }
        }
        return f;
    }

    private static java.util.Optional<Map.Entry<String, String>> one(java.util.function.Consumer<Map<String, String>> adder) {
        Map<String, String> m = new LinkedHashMap<>();
        adder.accept(m);
        return m.entrySet().stream().findFirst().map(e -> Map.entry(e.getKey(), e.getValue()));
    }

    /**
     * Every kind, one pair per fact (overview, defaults, descriptions, valid values, counters, MO classes) when they
     * all fit; else the value facts first and descriptions in what room is left; else each parameter's value facts
     * in one pair, several parameters (or counters) to a pair if that is what it takes to state them all.
     */
    List<Map.Entry<String, String>> firstPass(int cap) {
        Map<String, String> all = new LinkedHashMap<>(overview);
        params.forEach(p -> add(all, p.values().get("default")));
        params.forEach(p -> add(all, p.control()));
        params.forEach(p -> add(all, p.values().get("values")));
        counters.values().forEach(e -> add(all, e));
        params.forEach(p -> add(all, p.values().get("mo-class")));
        if (all.size() <= cap) {
            return List.copyOf(all.entrySet());
        }
        Map<String, String> valueFirst = new LinkedHashMap<>(overview);
        for (String kind : List.of("default", "values")) {
            params.forEach(p -> add(valueFirst, p.values().get(kind)));
        }
        counters.values().forEach(e -> add(valueFirst, e));
        params.forEach(p -> add(valueFirst, p.values().get("mo-class")));
        if (valueFirst.size() <= cap) {
            params.forEach(p -> add(valueFirst, p.control()));
            return valueFirst.entrySet().stream().limit(cap).toList();
        }
        return packed(cap);
    }

    private List<Map.Entry<String, String>> packed(int cap) {
        List<Param> valued = params.stream().filter(p -> !p.values().isEmpty()).toList();
        List<Map.Entry<String, String>> counted = List.copyOf(counters.values());
        List<Map.Entry<String, String>> out = new ArrayList<>();
        int budget = cap - overview.size();
        if (budget >= 1) {
            overview.forEach((q, a) -> out.add(Map.entry(q, a)));
        } else {
            budget = cap;
        }
        int per = 1;
        while (groups(valued.size(), per) + groups(counted.size(), per) > budget) {
            per++;
        }
        for (int i = 0; i < valued.size(); i += per) {
            out.add(profile(valued.subList(i, Math.min(valued.size(), i + per))));
        }
        for (int i = 0; i < counted.size(); i += per) {
            List<Map.Entry<String, String>> group = counted.subList(i, Math.min(counted.size(), i + per));
            if (group.size() == 1) {
                out.add(group.get(0));
            } else {
                List<String> names = new ArrayList<>(counters.keySet()).subList(i, i + group.size());
                out.add(Map.entry(Templates.Q_COUNTERS.formatted(Prose.join(names)),
                        String.join(" ", group.stream().map(Map.Entry::getValue).toList())));
            }
        }
        return out;
    }

    private static int groups(int n, int per) {
        return (n + per - 1) / per;
    }

    /** One pair stating the value facts of one or more parameters. */
    private static Map.Entry<String, String> profile(List<Param> group) {
        Set<String> kinds = new LinkedHashSet<>();
        group.forEach(p -> kinds.addAll(p.values().keySet()));
        boolean many = group.size() > 1;
        List<String> parts = new ArrayList<>();
        for (String kind : kinds) {
            parts.add(switch (kind) {
                case "default" -> many ? "default values" : "default value";
                case "values" -> "valid values";
                default -> many ? "MO classes" : "MO class";
            });
        }
        String question = Templates.Q_PROFILE.formatted(Prose.join(parts), Prose.join(group.stream().map(Param::subject).toList()));
        List<String> answers = new ArrayList<>();
        group.forEach(p -> p.values().values().forEach(e -> answers.add(e.getValue())));
        return Map.entry(question, String.join(" ", answers));
    }

    /** A follow-up: one pair per named fact that this chunk states, in the order named. */
    List<Map.Entry<String, String>> focused(List<FocusFact> focus) {
        Map<String, String> out = new LinkedHashMap<>();
        for (FocusFact f : focus) {
            String kind = f.getKind() == null ? "" : f.getKind().toLowerCase(Locale.ROOT);
            String subject = f.getSubject() == null ? "" : f.getSubject().strip();
            if (kind.startsWith("counter.")) {
                counters.entrySet().stream().filter(c -> c.getKey().equalsIgnoreCase(subject)).findFirst()
                        .ifPresent(c -> add(out, c.getValue()));
            } else if (kind.startsWith("feature.")) {
                overview.forEach(out::putIfAbsent);
            } else if (kind.startsWith("parameter.")) {
                named(subject).ifPresent(p -> add(out, forKind(p, kind)));
            }
        }
        return List.copyOf(out.entrySet());
    }

    private static Map.Entry<String, String> forKind(Param p, String kind) {
        return switch (kind) {
            case "parameter.default" -> p.values().get("default");
            case "parameter.values" -> p.values().get("values");
            case "parameter.mo-class" -> p.values().get("mo-class");
            // The unit is stated with the valid values, or with a numeric default.
            case "parameter.unit" -> p.values().getOrDefault("values", p.values().get("default"));
            default -> p.control();
        };
    }

    /** The parameter a fact's subject names: by its qualified name, else by its bare name. */
    private java.util.Optional<Param> named(String subject) {
        String bare = subject.substring(subject.lastIndexOf('.') + 1);
        return params.stream().filter(p -> p.subject().equalsIgnoreCase(subject)).findFirst()
                .or(() -> params.stream().filter(p -> p.bare().equalsIgnoreCase(bare)).findFirst());
    }

    private static void add(Map<String, String> out, Map.Entry<String, String> pair) {
        if (pair != null) {
            out.putIfAbsent(pair.getKey(), pair.getValue());
        }
    }
}
