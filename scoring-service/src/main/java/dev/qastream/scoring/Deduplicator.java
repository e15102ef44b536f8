package dev.qastream.scoring;

import dev.qastream.schemas.ScoredPair;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Exact and near-duplicate pairs within one group (a document, or a feature: {@code scoring.dedup-scope}): the same normalised question, or a question and an answer
 * each at an embedding cosine of at least the threshold to the other pair's while naming the same parameters (template
 * questions about two different parameters embed very close, and are not duplicates).
 *
 * <p>The first accepted pair is kept; a later one is rejected with {@code duplicateOf} naming it. Re-scoring
 * a pair replaces its own entry first, so it never duplicates itself. When a kept pair is removed, or
 * re-scored into something else, each of its duplicates is compared again and the earliest left over takes
 * its place. State lives in a {@link Store} (a Kafka Streams state store in the pipeline), never in memory of
 * the JVM, so exactly-once reprocessing gives the same answers.
 */
public final class Deduplicator {
    /** The entries of the documents, by document and pair key. */
    public interface Store {
        DedupEntry get(String document, String pairKey);

        void put(String document, DedupEntry entry);

        void delete(String document, String pairKey);

        List<DedupEntry> document(String document);
    }

    /** One record to write: the pair key and its scored pair (null for a legacy tombstone). */
    public record Emit(String pairKey, ScoredPair scored, float[] vector) {
    }

    private final double threshold;

    public Deduplicator(double threshold) {
        this.threshold = threshold;
    }

    /**
     * Applies one scored pair, or a removal, of {@code document}; returns what to write, in order: the
     * pair itself first, then any duplicate whose standing changed because of it.
     *
     * @param output what to write for a removal (null: a legacy tombstone)
     * @param seq    arrival order of this record, used when the pair key is new
     */
    public List<Emit> apply(String document, String pairKey, Scored scored, ScoredPair output, long seq, Store store) {
        List<Emit> out = new ArrayList<>();
        DedupEntry old = store.get(document, pairKey);
        long order = old != null ? old.seq() : seq;
        if (old != null) {
            store.delete(document, pairKey);
        }
        if (scored == null || scored.isRemoval()) {
            out.add(new Emit(pairKey, output, new float[0]));
        } else if (!scored.acceptedOnMerit()) {
            store.put(document, entry(pairKey, order, DedupEntry.Status.REJECTED, null, scored));
            out.add(new Emit(pairKey, scored.scored(), scored.vector()));
        } else {
            DedupEntry candidate = entry(pairKey, order, DedupEntry.Status.KEPT, null, scored);
            Optional<DedupEntry> kept = keptMatch(candidate, store.document(document));
            if (kept.isPresent()) {
                store.put(document, candidate.with(DedupEntry.Status.DUPLICATE, kept.get().pairKey()));
                out.add(new Emit(pairKey, asDuplicate(scored.scored(), kept.get()), scored.vector()));
            } else {
                store.put(document, candidate);
                out.add(new Emit(pairKey, scored.scored(), scored.vector()));
            }
        }
        if (old != null && old.status() == DedupEntry.Status.KEPT) {
            reconsiderDuplicatesOf(document, pairKey, store, out);
        }
        return out;
    }

    /**
     * Drops a pair that moved to another group (its feature changed) from this one, writing nothing for it: its
     * record comes from the new group. Duplicates of it here are compared again, as after a removal.
     */
    public List<Emit> forget(String document, String pairKey, Store store) {
        List<Emit> out = new ArrayList<>();
        DedupEntry old = store.get(document, pairKey);
        if (old != null) {
            store.delete(document, pairKey);
            if (old.status() == DedupEntry.Status.KEPT) {
                reconsiderDuplicatesOf(document, pairKey, store, out);
            }
        }
        return out;
    }

    private void reconsiderDuplicatesOf(String document, String formerKept, Store store, List<Emit> out) {
        List<DedupEntry> orphans = store.document(document).stream()
                .filter(e -> e.status() == DedupEntry.Status.DUPLICATE && formerKept.equals(e.duplicateOf()))
                .sorted(Comparator.comparingLong(DedupEntry::seq).thenComparing(DedupEntry::pairKey))
                .toList();
        for (DedupEntry orphan : orphans) {
            Optional<DedupEntry> kept = keptMatch(orphan, store.document(document));
            if (kept.isPresent()) {
                if (!kept.get().pairKey().equals(orphan.duplicateOf())) {
                    store.put(document, orphan.with(DedupEntry.Status.DUPLICATE, kept.get().pairKey()));
                    out.add(new Emit(orphan.pairKey(), asDuplicate(orphan.merit(), kept.get()), orphan.vector()));
                }
            } else {
                store.put(document, orphan.with(DedupEntry.Status.KEPT, null));
                out.add(new Emit(orphan.pairKey(), orphan.merit(), orphan.vector()));
            }
        }
    }

    private Optional<DedupEntry> keptMatch(DedupEntry candidate, List<DedupEntry> entries) {
        return entries.stream()
                .filter(e -> e.status() == DedupEntry.Status.KEPT && !e.pairKey().equals(candidate.pairKey()))
                .filter(e -> duplicates(candidate, e))
                .min(Comparator.comparingLong(DedupEntry::seq).thenComparing(DedupEntry::pairKey));
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

    private static ScoredPair asDuplicate(ScoredPair merit, DedupEntry kept) {
        List<String> reasons = new ArrayList<>(Scored.withoutDuplicateReason(merit.getReasons()));
        reasons.add(Scored.DUPLICATE_REASON + kept.pairKey() + " (\"" + kept.merit().getPair().getQuestion() + "\")");
        return ScoredPair.newBuilder(merit).setAccepted(false).setDuplicateOf(kept.pairKey()).setReasons(reasons).build();
    }

    private static DedupEntry entry(String pairKey, long seq, DedupEntry.Status status, String of, Scored s) {
        return DedupEntry.of(pairKey, seq, status, of, s.normalizedQuestion(), s.names(), s.vector(), s.scored());
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
