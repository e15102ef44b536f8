package dev.qastream.scoring;

import dev.qastream.schemas.ScoredPair;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Exact and near-duplicate pairs within one group (a document, or a feature: {@code scoring.dedup-scope}): the same normalised question, or a question and an answer
 * each at an embedding cosine of at least the threshold to the other pair's while naming the same parameters (template
 * questions about two different parameters embed very close, and are not duplicates).
 *
 * <p>Which pair of a group is kept does not depend on the order in which the pairs arrive (pairs of neighbouring
 * chunks come in whatever order their generation and scoring finish). It is a function of the group's pairs alone,
 * {@link #standings}:
 * <ol>
 *   <li>the pairs accepted on their merits are ranked: the higher overall score first, then the smaller pair key;</li>
 *   <li>in rank order, a pair that duplicates a pair already kept is a duplicate of the first such kept pair (the
 *       best ranked one); any other pair is kept.</li>
 * </ol>
 * So no two kept pairs duplicate each other, and a duplicate always points at a kept pair ranked above it. Being a
 * near duplicate is not transitive: with a ranked above b above c, a near b and b near c but a not near c, a is
 * kept, b is a duplicate of a, and c is kept (the pair it repeats, b, is not in the dataset).
 *
 * <p>Every change to a group (a pair scored, re-scored, removed, or moved to another group) ranks the whole group
 * again and writes, after the changed pair itself, every other pair whose standing changed: a kept pair beaten by a
 * newcomer is written again rejected, pointing at the newcomer; a duplicate whose kept pair went is written again
 * kept, or pointing at another. So the last record of each pair key is the same whatever the order of arrivals,
 * removals and updates. State lives in a {@link Store} (a Kafka Streams state store in the pipeline), never in
 * memory of the JVM, so exactly-once reprocessing gives the same answers.
 */
public final class Deduplicator {
    /** The entries of the groups, by group and pair key. */
    public interface Store {
        DedupEntry get(String document, String pairKey);

        void put(String document, DedupEntry entry);

        void delete(String document, String pairKey);

        List<DedupEntry> document(String document);
    }

    /** One record to write: the pair key and its scored pair (null for a legacy tombstone). */
    public record Emit(String pairKey, ScoredPair scored, float[] vector) {
    }

    /** Where a pair stands in its group: kept, a duplicate of {@code duplicateOf}, or rejected on its merits. */
    public record Standing(DedupEntry.Status status, String duplicateOf) {
        static final Standing KEPT = new Standing(DedupEntry.Status.KEPT, null);
        static final Standing REJECTED = new Standing(DedupEntry.Status.REJECTED, null);
    }

    /** The rank of the rule: the higher score first, then the smaller pair key. */
    static final Comparator<DedupEntry> RANK =
            Comparator.comparingDouble(DedupEntry::score).reversed().thenComparing(DedupEntry::pairKey);

    private final double threshold;
    /** Accepted pairs per value fact at most ({@code coverage.pairs-per-fact}); 0: no limit. */
    private final int perFact;

    public Deduplicator(double threshold) {
        this(threshold, 0);
    }

    public Deduplicator(double threshold, int perFact) {
        this.threshold = threshold;
        this.perFact = perFact;
    }

    /**
     * The rule: each pair's standing in a group, from the group's entries alone (their statuses are ignored but for
     * being rejected on merit), so the same entries give the same standings in any order.
     */
    public Map<String, Standing> standings(Collection<DedupEntry> group) {
        return standingsFrom(group.stream().sorted(RANK).toList(), 0);
    }

    /**
     * The rule from rank {@code from} on, in a group ranked by {@link #RANK}: the entries ranked above keep the standing
     * they hold (their status and the pair they repeat), which is what the rule gives them as long as nothing above
     * them changed, since a standing depends only on the pairs ranked above it. Returns the standings of the entries
     * from {@code from} on.
     */
    Map<String, Standing> standingsFrom(List<DedupEntry> ranked, int from) {
        Map<String, Standing> out = new HashMap<>();
        List<DedupEntry> kept = new ArrayList<>();
        Map<String, List<String>> keptPerFact = new HashMap<>();
        for (int i = 0; i < from; i++) {
            DedupEntry e = ranked.get(i);
            if (e.status() == DedupEntry.Status.KEPT) {
                keep(e, kept, keptPerFact);
            }
        }
        for (int i = from; i < ranked.size(); i++) {
            DedupEntry e = ranked.get(i);
            if (!e.acceptedOnMerit()) {
                out.put(e.pairKey(), Standing.REJECTED);
                continue;
            }
            Optional<DedupEntry> of = kept.stream().filter(k -> duplicates(e, k)).findFirst();
            String ofFact = of.isPresent() ? null : beyondFactLimit(e, keptPerFact);
            if (of.isPresent()) {
                out.put(e.pairKey(), new Standing(DedupEntry.Status.DUPLICATE, of.get().pairKey()));
            } else if (ofFact != null) {
                out.put(e.pairKey(), new Standing(DedupEntry.Status.DUPLICATE, ofFact));
            } else {
                keep(e, kept, keptPerFact);
                out.put(e.pairKey(), Standing.KEPT);
            }
        }
        return out;
    }

    private static void keep(DedupEntry e, List<DedupEntry> kept, Map<String, List<String>> keptPerFact) {
        kept.add(e);
        e.valueFacts().forEach(f -> keptPerFact.computeIfAbsent(f, x -> new ArrayList<>()).add(e.pairKey()));
    }

    /**
     * Pairs that state the same fact are duplicates however they are worded, past {@link #perFact} of them: a pair
     * whose every value fact is stated by that many better pairs already is a duplicate of the best of them (of its
     * first such fact). A pair with one fact not yet at the limit teaches something new, and is kept.
     */
    private String beyondFactLimit(DedupEntry e, Map<String, List<String>> keptPerFact) {
        if (perFact <= 0 || e.valueFacts().isEmpty()) {
            return null;
        }
        String first = null;
        for (String fact : e.valueFacts()) {
            List<String> stating = keptPerFact.getOrDefault(fact, List.of());
            if (stating.size() < perFact) {
                return null;
            }
            if (first == null) {
                first = stating.get(0);
            }
        }
        return first;
    }

    /**
     * Applies one scored pair, or a removal, of {@code document}; returns what to write, in order: the
     * pair itself first, then every other pair of the group whose standing changed because of it.
     *
     * @param output what to write for a removal (null: a legacy tombstone)
     */
    public List<Emit> apply(String document, String pairKey, Scored scored, ScoredPair output, Store store) {
        if (scored == null || scored.isRemoval()) {
            List<Emit> out = new ArrayList<>();
            out.add(new Emit(pairKey, output, new float[0]));
            out.addAll(replace(document, pairKey, null, store));
            return out;
        }
        DedupEntry.Status merit = scored.acceptedOnMerit() ? DedupEntry.Status.KEPT : DedupEntry.Status.REJECTED;
        return replace(document, pairKey, DedupEntry.of(pairKey, merit, null, scored.normalizedQuestion(), scored.names(),
                scored.vector(), scored.scored()), store);
    }

    /**
     * Drops a pair that moved to another group (its feature changed) from this one, writing nothing for it: its
     * record comes from the new group. The pairs left are ranked again, as after a removal.
     */
    public List<Emit> forget(String document, String pairKey, Store store) {
        return replace(document, pairKey, null, store);
    }

    /**
     * Puts {@code now} (null: nothing) in the place of the pair's entry and ranks the group again; returns the pair's
     * record (when {@code now} is one) and those of the others whose standing changed, in rank order.
     */
    private List<Emit> replace(String document, String pairKey, DedupEntry now, Store store) {
        DedupEntry old = store.get(document, pairKey);
        if (now == null && old == null) {
            return List.of();
        }
        if ((old == null || old.status() != DedupEntry.Status.KEPT) && (now == null || !now.acceptedOnMerit())) {
            // Kept neither before nor after: no other pair's standing depends on this one (a standing depends on the
            // kept pairs ranked above it, and a duplicate points at a kept pair), so the group is not read.
            if (now == null) {
                store.delete(document, pairKey);
                return List.of();
            }
            DedupEntry placed = placed(now, Standing.REJECTED);
            store.put(document, placed);
            return List.of(emit(placed, Map.of()));
        }
        Map<String, DedupEntry> group = new HashMap<>();
        store.document(document).forEach(e -> group.put(e.pairKey(), e));
        group.remove(pairKey);
        if (now != null) {
            group.put(pairKey, now);
        } else {
            store.delete(document, pairKey);
        }
        // Only the pairs ranked at or below this one's place, before or after, can change standing.
        List<DedupEntry> ranked = group.values().stream().sorted(RANK).toList();
        int from = Math.min(placeOf(old, ranked), placeOf(now, ranked));
        Map<String, Standing> standings = standingsFrom(ranked, from);
        List<Emit> out = new ArrayList<>();
        if (now != null) {
            DedupEntry placed = placed(now, standings.get(pairKey));
            store.put(document, placed);
            group.put(pairKey, placed);
            out.add(emit(placed, group));
        }
        // A kept pair asked in other words: its duplicates' reasons quote it, so they are written again too.
        boolean reworded = now != null && old != null && standings.get(pairKey).equals(Standing.KEPT)
                && !old.merit().getPair().getQuestion().equals(now.merit().getPair().getQuestion());
        for (DedupEntry e : ranked.subList(from, ranked.size())) {
            if (e.pairKey().equals(pairKey)) {
                continue;
            }
            Standing s = standings.get(e.pairKey());
            boolean moved = s.status() != e.status() || !Objects.equals(s.duplicateOf(), e.duplicateOf());
            if (moved) {
                store.put(document, placed(e, s));
            }
            if (moved || (reworded && pairKey.equals(s.duplicateOf()))) {
                out.add(emit(placed(e, s), group));
            }
        }
        return out;
    }

    /** Where an entry ranks (or would) among {@code ranked}: the number of entries ranked above it; none: the end. */
    private static int placeOf(DedupEntry entry, List<DedupEntry> ranked) {
        if (entry == null) {
            return ranked.size();
        }
        int i = 0;
        while (i < ranked.size() && !ranked.get(i).pairKey().equals(entry.pairKey()) && RANK.compare(ranked.get(i), entry) < 0) {
            i++;
        }
        return i;
    }

    private static DedupEntry placed(DedupEntry e, Standing s) {
        return e.with(s.status(), s.duplicateOf());
    }

    /** The record of an entry at its standing: as scored on its merits, or rejected naming the pair it repeats. */
    private Emit emit(DedupEntry e, Map<String, DedupEntry> group) {
        ScoredPair merit = e.merit();
        if (e.status() != DedupEntry.Status.DUPLICATE) {
            return new Emit(e.pairKey(), merit, e.vector());
        }
        DedupEntry kept = group.get(e.duplicateOf());
        return new Emit(e.pairKey(), asDuplicate(merit, kept, !duplicates(e, kept)), e.vector());
    }

    boolean duplicates(DedupEntry a, DedupEntry b) {
        if (!a.normalizedQuestion().isEmpty() && a.normalizedQuestion().equals(b.normalizedQuestion())) {
            return true;
        }
        // Vectors hold the question's then the answer's: both must be close, so two questions of one template
        // about one parameter (its default, its range) with different answers are not duplicates.
        if (a.vector().length == 0 || a.vector().length != b.vector().length || !a.names().equals(b.names())) {
            return false;
        }
        int half = a.vector().length / 2;
        return Vectors.cosine(a.vector(), b.vector(), 0, half) >= threshold
                && Vectors.cosine(a.vector(), b.vector(), half, half) >= threshold;
    }

    /** @param overFactLimit a duplicate by the facts it states (not by its wording) */
    private ScoredPair asDuplicate(ScoredPair merit, DedupEntry kept, boolean overFactLimit) {
        List<String> reasons = new ArrayList<>(Scored.withoutDuplicateReason(merit.getReasons()));
        String facts = overFactLimit ? " (states the same facts; " + perFact + " pairs a fact at most: coverage.pairs-per-fact)" : "";
        reasons.add(Scored.DUPLICATE_REASON + kept.pairKey() + " (\"" + kept.merit().getPair().getQuestion() + "\")" + facts);
        return ScoredPair.newBuilder(merit).setAccepted(false).setDuplicateOf(kept.pairKey()).setReasons(reasons).build();
    }

    /** A store in memory: for the score command, which deduplicates one file of pairs. */
    public static Store inMemory() {
        Map<String, Map<String, DedupEntry>> docs = new TreeMap<>();
        return new Store() {
            @Override
            public DedupEntry get(String document, String pairKey) {
                return docs.getOrDefault(document, Map.of()).get(pairKey);
            }

            @Override
            public void put(String document, DedupEntry entry) {
                docs.computeIfAbsent(document, d -> new TreeMap<>()).put(entry.pairKey(), entry);
            }

            @Override
            public void delete(String document, String pairKey) {
                Map<String, DedupEntry> d = docs.get(document);
                if (d != null) {
                    d.remove(pairKey);
                }
            }

            @Override
            public List<DedupEntry> document(String document) {
                return new ArrayList<>(docs.getOrDefault(document, Map.of()).values());
            }
        };
    }
}
