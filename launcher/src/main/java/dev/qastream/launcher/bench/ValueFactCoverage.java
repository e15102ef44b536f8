package dev.qastream.launcher.bench;

import dev.qastream.schemas.Chunk;
import dev.qastream.schemas.FocusFact;
import dev.qastream.schemas.Parameter;
import dev.qastream.schemas.ScoredPair;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The bench's own count of parameter value facts (each parameter's default, valid values, unit and MO class, per
 * chunk) and of those an accepted pair states: by the scorer's {@code confirmedFacts} when the scorer fills them,
 * else by a simple check that the answer names the parameter and states the value. Pure: no I/O.
 */
final class ValueFactCoverage {
    /** A value fact of a chunk, with the id form of {@link FocusFact#getFactId}: chunk id|kind|subject. */
    record Fact(String id, String chunkId, String subject, String bare, String kind, String value, String text) {
        FocusFact focus() {
            return FocusFact.newBuilder().setFactId(id).setSubject(subject).setKind(kind).setValue(value).setText(text).build();
        }
    }

    private static final Set<String> PLACEHOLDERS = Set.of("", "-", "n/a", "na", "none", "mandatory", "required", "tbd");

    private ValueFactCoverage() {
    }

    /** Every value fact of the chunks, by chunk id. */
    static Map<String, List<Fact>> inventory(Collection<Chunk> chunks) {
        Map<String, List<Fact>> out = new LinkedHashMap<>();
        for (Chunk c : chunks) {
            List<Fact> facts = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Parameter p : c.getParameters() == null ? List.<Parameter>of() : c.getParameters()) {
                String name = clean(p.getName());
                String mo = clean(p.getMoClass());
                if (name.isEmpty()) {
                    continue;
                }
                String subject = mo.isEmpty() || name.startsWith(mo + ".") ? name : mo + "." + name;
                String bare = name.substring(name.lastIndexOf('.') + 1);
                add(facts, seen, c, subject, bare, "parameter.default", p.getDefaultValue(), "the default value of " + subject);
                add(facts, seen, c, subject, bare, "parameter.values", p.getValidValues(), "the valid values of " + subject);
                add(facts, seen, c, subject, bare, "parameter.unit", p.getUnit(), "the unit of " + subject);
                add(facts, seen, c, subject, bare, "parameter.mo-class", p.getMoClass(), "the MO class of " + subject);
            }
            if (!facts.isEmpty()) {
                out.put(c.getChunkId(), facts);
            }
        }
        return out;
    }

    private static void add(List<Fact> facts, Set<String> seen, Chunk c, String subject, String bare, String kind,
                            String raw, String text) {
        String value = clean(raw);
        if (PLACEHOLDERS.contains(value.toLowerCase(Locale.ROOT))) {
            return;
        }
        String id = c.getChunkId() + "|" + kind + "|" + subject;
        if (seen.add(id)) {
            facts.add(new Fact(id, c.getChunkId(), subject, bare, kind, value, text));
        }
    }

    /** The ids of the facts that accepted pairs state, from {@code pairs} (newest scored record per pair key). */
    static Set<String> covered(Map<String, List<Fact>> inventory, Collection<ScoredPair> pairs) {
        boolean scorerConfirms = pairs.stream().anyMatch(s -> !s.getConfirmedFacts().isEmpty());
        Set<String> out = new HashSet<>();
        for (ScoredPair s : pairs) {
            if (!s.getAccepted() || s.getPair().getRemoved()) {
                continue;
            }
            if (scorerConfirms) {
                // Only this bench's facts: the scorer confirms descriptive and config facts too.
                Set<String> ofChunk = new HashSet<>();
                inventory.getOrDefault(s.getPair().getChunkId(), List.of()).forEach(f -> ofChunk.add(f.id()));
                s.getConfirmedFacts().stream().filter(ofChunk::contains).forEach(out::add);
                continue;
            }
            String answer = normal(s.getPair().getAnswer());
            for (Fact f : inventory.getOrDefault(s.getPair().getChunkId(), List.of())) {
                if (answer.contains(normal(f.bare())) && answer.contains(normal(f.value()))) {
                    out.add(f.id());
                }
            }
        }
        // As the pipeline counts: a fact two chunks of a document state (a table split across them) is taught once.
        Set<String> taught = new HashSet<>();
        inventory.values().stream().flatMap(List::stream).filter(f -> out.contains(f.id())).forEach(f -> taught.add(sameness(f)));
        inventory.values().stream().flatMap(List::stream).filter(f -> taught.contains(sameness(f))).forEach(f -> out.add(f.id()));
        return out;
    }

    private static String sameness(Fact f) {
        return f.chunkId().substring(0, Math.max(0, f.chunkId().lastIndexOf('#'))) + "|" + f.kind() + "|" + f.subject() + "|" + f.value();
    }

    private static String clean(String s) {
        return s == null ? "" : s.replace("**", "").replace("`", "").strip();
    }

    private static String normal(String s) {
        return clean(s).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }
}
