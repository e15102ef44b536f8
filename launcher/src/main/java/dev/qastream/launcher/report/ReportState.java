package dev.qastream.launcher.report;

import dev.qastream.launcher.report.QualityReport.Acceptance;
import dev.qastream.launcher.report.QualityReport.Combination;
import dev.qastream.launcher.report.QualityReport.Completeness;
import dev.qastream.launcher.report.QualityReport.Conflict;
import dev.qastream.launcher.report.QualityReport.Conflicts;
import dev.qastream.launcher.report.QualityReport.Counts;
import dev.qastream.launcher.report.QualityReport.DeadLetters;
import dev.qastream.launcher.report.QualityReport.Example;
import dev.qastream.launcher.report.QualityReport.Field;
import dev.qastream.launcher.report.QualityReport.Group;
import dev.qastream.launcher.report.QualityReport.Histogram;
import dev.qastream.launcher.report.QualityReport.IngestErrors;
import dev.qastream.launcher.report.QualityReport.Rejection;
import dev.qastream.launcher.report.QualityReport.StageDeadLetters;
import dev.qastream.runtime.kafka.Topics;
import dev.qastream.runtime.review.PairFingerprint;
import dev.qastream.schemas.DatasetRecord;
import dev.qastream.schemas.DeadLetter;
import dev.qastream.schemas.DocumentRecord;
import dev.qastream.schemas.DocumentStatus;
import dev.qastream.schemas.IngestError;
import dev.qastream.schemas.QaPair;
import dev.qastream.schemas.ReviewDecision;
import dev.qastream.schemas.ReviewVerdict;
import dev.qastream.schemas.ScoredPair;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What the report is made of, fed one topic record at a time. Compacted topics keep only the newest state
 * per key, and only a compact summary of it (scores, labels, times: no chunk text), so a key that is written
 * again replaces its old contribution; append-only topics (errors, dead letters) keep counters and a few
 * recent examples. Not thread-safe: one reader thread feeds it and renders it.
 */
public final class ReportState {
    static final int RECENT = 10;
    static final int EXAMPLES_PER_REASON = 3;
    static final int MAX_GROUPS = 500;
    static final int TEXT_LIMIT = 300;
    static final List<String> SCORES = List.of("overall", "structural", "coherence", "relevance", "accuracy", "judge");
    static final List<String> COMPLETENESS_FIELDS = List.of("feature name", "technical terms", "exact parameters",
            "question type", "source document", "model", "prompt version", "generation time");

    /** The newest scored state of one pair key; scores NaN where not computed. */
    record PairState(String documentId, String tier, String model, String promptVersion, String questionType,
                     boolean accepted, boolean removed, double[] scores, List<String> reasons, List<String> flags,
                     long generatedAtMs, long scoredAtMs, long revision, long fingerprint) {
    }

    /** A person's newest decision on a pair key: on which revision and text (fingerprint, first 64 bits), and what. */
    record DecisionState(long revision, long fingerprint, ReviewVerdict verdict) {
    }

    record DocumentState(boolean failed, long updatedAtMs, int chunks) {
    }

    private final Map<String, String> interned = new HashMap<>();
    private final Map<String, PairState> pairs = new HashMap<>();
    private final Map<String, DocumentState> documents = new HashMap<>();
    /** Pair keys whose newest state is a removal of a pair that was accepted: pairs that left the dataset. */
    private final Set<String> leftDataset = new HashSet<>();
    private final Map<String, Integer> dataset = new HashMap<>(); // pair key -> bit set of COMPLETENESS_FIELDS
    private final Map<String, DecisionState> decisions = new HashMap<>();
    private final Map<String, List<Example>> examples = new LinkedHashMap<>();
    private long ingestErrors;
    private final Map<String, Long> ingestErrorReasons = new HashMap<>();
    private final Deque<QualityReport.IngestError> recentErrors = new ArrayDeque<>();
    private long deadLetters;
    private final Set<String> openDeadLetters = new HashSet<>();
    private final Map<String, Long> deadLetterReasons = new HashMap<>();
    private final Map<String, Long> deadLetterTiers = new HashMap<>();
    private final Deque<QualityReport.DeadLetter> recentDeadLetters = new ArrayDeque<>();
    private final Map<String, Long> stageDeadLetters = new LinkedHashMap<>();
    private final Deque<QualityReport.StageDeadLetter> recentStageDeadLetters = new ArrayDeque<>();
    /** Newest coverage per document, from coverage.documents. */
    private final Map<String, dev.qastream.schemas.DocumentCoverage> coverage = new java.util.TreeMap<>();

    public ReportState() {
        Topics.STREAMS_DLQS.forEach(t -> stageDeadLetters.put(t, 0L));
    }

    // ---- feeding ----

    public void document(String key, DocumentRecord value) {
        if (value == null || value.getStatus() == DocumentStatus.DELETED) {
            documents.remove(key);
        } else {
            documents.put(key, new DocumentState(value.getStatus() == DocumentStatus.FAILED,
                    value.getUpdatedAtMs(), value.getChunkChecksums().size()));
        }
    }

    public void ingestError(IngestError value) {
        if (value == null) {
            return;
        }
        ingestErrors++;
        increment(ingestErrorReasons, Reasons.group(value.getReason()));
        recent(recentErrors, new QualityReport.IngestError(value.getPath(), value.getReason(), value.getOccurredAtMs()));
    }

    public void deadLetter(DeadLetter value) {
        if (value == null) {
            return;
        }
        deadLetters++;
        // Keyed as on generation.dlq: a follow-up round's dead letter is open apart from its first pass's.
        openDeadLetters.add(dev.qastream.generation.worker.PairRecords.deadLetterKey(
                value.getRequest().getChunk().getChunkId(), value.getRequest().getRound()));
        increment(deadLetterReasons, Reasons.group(value.getReason()));
        increment(deadLetterTiers, value.getRequest().getTier());
        recent(recentDeadLetters, new QualityReport.DeadLetter(value.getRequest().getChunk().getChunkId(),
                value.getRequest().getTier(), List.copyOf(value.getTiersTried()), value.getReason(),
                value.getFailedAtMs()));
    }

    /** A re-drive's marker (a null value on generation.dlq, keyed as the dead letter): that one is no longer open. */
    public void deadLetterRedriven(String key) {
        openDeadLetters.remove(key);
    }

    /** A record a Streams stage set aside on its dead-letter topic {@code topic}. */
    public void stageDeadLetter(String topic, String source, String reason, long atMs) {
        stageDeadLetters.merge(topic, 1L, Long::sum);
        recent(recentStageDeadLetters, new QualityReport.StageDeadLetter(topic, source, clip(reason), atMs));
    }

    public void scored(String key, ScoredPair value) {
        if (value == null) {
            pairs.remove(key);
            leftDataset.remove(key);
            return;
        }
        QaPair p = value.getPair();
        double[] scores = {value.getOverall(), value.getStructural(), orNaN(value.getCoherence()),
                orNaN(value.getRelevance()), orNaN(value.getAccuracy()), orNaN(value.getJudge())};
        List<String> reasons = value.getAccepted() ? List.of() : value.getReasons().stream().map(this::intern).toList();
        PairState state = new PairState(intern(p.getDocumentId()), intern(p.getTier()), intern(p.getModel()),
                intern(p.getPromptVersion()), intern(p.getQuestionType()), value.getAccepted(), p.getRemoved(),
                scores, reasons, value.getFlags().isEmpty() ? List.of() : List.copyOf(value.getFlags()),
                p.getGeneratedAtMs(), value.getScoredAtMs(), p.getRevision(),
                p.getRemoved() ? 0 : fingerprint(PairFingerprint.of(p.getQuestion(), p.getAnswer())));
        PairState before = pairs.put(key, state);
        if (!state.removed) {
            leftDataset.remove(key);
        } else if (before != null && before.accepted && !before.removed) {
            leftDataset.add(key); // a removal of an empty slot, or of a rejected pair, takes nothing from the dataset
        }
        if (!state.accepted && !state.removed) {
            keepExamples(key, state, p);
        }
    }

    /** A person's decision on review.decisions; null: withdrawn. */
    public void decision(String key, ReviewDecision value) {
        if (value == null) {
            decisions.remove(key);
        } else {
            decisions.put(key, new DecisionState(value.getRevision(), fingerprint(value.getPairFingerprint()),
                    value.getDecision()));
        }
    }

    public void coverage(String documentId, dev.qastream.schemas.DocumentCoverage value) {
        if (value == null) {
            coverage.remove(documentId);
        } else {
            coverage.put(documentId, value);
        }
    }

    public void datasetRecord(String key, DatasetRecord value) {
        if (value == null) {
            dataset.remove(key);
            return;
        }
        boolean[] present = {
                !blank(value.getFeatureName()), !value.getTechnicalTerms().isEmpty(), value.getTier1ExactParams() > 0,
                !blank(value.getQuestionType()), !blank(value.getSourceDocument()), !blank(value.getModel()),
                !blank(value.getPromptVersion()), value.getGeneratedAtMs() > 0};
        int bits = 0;
        for (int i = 0; i < present.length; i++) {
            bits |= present[i] ? 1 << i : 0;
        }
        dataset.put(key, bits);
    }

    // ---- rendering ----

    public QualityReport report(long nowMs) {
        List<PairState> live = pairs.values().stream().filter(p -> !p.removed).toList();
        long accepted = live.stream().filter(PairState::accepted).count();
        long failedDocs = documents.values().stream().filter(DocumentState::failed).count();
        long chunks = documents.values().stream().filter(d -> !d.failed).mapToLong(DocumentState::chunks).sum();
        Counts counts = new Counts(documents.size() - failedDocs, failedDocs, chunks, ingestErrors, live.size(),
                accepted, live.size() - accepted, leftDataset.size(), deadLetters, dataset.size());
        return new QualityReport(nowMs, counts, acceptance(live), histograms(live),
                groups(live, p -> p.questionType == null ? "unknown" : p.questionType), rejections(),
                conflicts(), completeness(), deadLetterSummary(), stageDeadLetterSummary(), errorSummary(),
                Timings.of(documents, pairs, dataset.keySet()), review(), coverage());
    }

    /** Decisions count only while they cover the pair scored now (same revision and text), as in the sink. */
    private QualityReport.Review review() {
        long[] byVerdict = new long[ReviewVerdict.values().length];
        long outdated = 0;
        for (Map.Entry<String, DecisionState> e : decisions.entrySet()) {
            PairState p = pairs.get(e.getKey());
            DecisionState d = e.getValue();
            if (p != null && !p.removed && p.revision == d.revision && p.fingerprint == d.fingerprint) {
                byVerdict[d.verdict.ordinal()]++;
            } else {
                outdated++;
            }
        }
        long accepted = byVerdict[ReviewVerdict.ACCEPTED.ordinal()];
        long edited = byVerdict[ReviewVerdict.EDITED.ordinal()];
        long rejected = byVerdict[ReviewVerdict.REJECTED.ordinal()];
        return new QualityReport.Review(accepted + edited + rejected, accepted, edited, rejected, outdated);
    }

    /** The first 64 bits of a hex fingerprint: enough to tell a regenerated pair, at an eighth of the memory. */
    private static long fingerprint(String hex) {
        return hex.length() < 16 ? hex.hashCode() : Long.parseUnsignedLong(hex.substring(0, 16), 16);
    }

    private QualityReport.Coverage coverage() {
        long facts = 0;
        long covered = 0;
        long uncoveredCount = 0;
        List<QualityReport.DocumentCoverage> docs = new ArrayList<>();
        List<QualityReport.Uncovered> uncovered = new ArrayList<>();
        for (dev.qastream.schemas.DocumentCoverage d : coverage.values()) {
            facts += d.getFacts();
            covered += d.getCovered();
            docs.add(new QualityReport.DocumentCoverage(d.getDocumentId(), d.getFacts(), d.getCovered(),
                    rate(d.getCovered(), d.getFacts()), d.getDiversity(), d.getFollowUps()));
            for (dev.qastream.schemas.UncoveredFact u : d.getUncovered()) {
                uncoveredCount++;
                if (uncovered.size() < QualityReport.Coverage.MAX_UNCOVERED) {
                    uncovered.add(new QualityReport.Uncovered(d.getDocumentId(), u.getKind(), u.getSubject(), u.getText(),
                            u.getValue(), u.getReason(), u.getDetail()));
                }
            }
        }
        double diversity = docs.stream().mapToDouble(QualityReport.DocumentCoverage::diversity).average().orElse(0);
        return new QualityReport.Coverage(facts, covered, rate(covered, facts), diversity, docs, uncoveredCount, uncovered);
    }

    private static Acceptance acceptance(List<PairState> live) {
        Map<List<String>, long[]> combos = new HashMap<>();
        for (PairState p : live) {
            long[] c = combos.computeIfAbsent(List.of(p.tier, p.model, p.promptVersion), k -> new long[2]);
            c[0]++;
            c[1] += p.accepted ? 1 : 0;
        }
        List<Combination> combinations = combos.entrySet().stream()
                .map(e -> new Combination(e.getKey().get(0), e.getKey().get(1), e.getKey().get(2), e.getValue()[0],
                        e.getValue()[1], rate(e.getValue()[1], e.getValue()[0])))
                .sorted(Comparator.comparing(Combination::tier, Reports.TIER_ORDER).thenComparing(Combination::model)
                        .thenComparing(Combination::promptVersion))
                .toList();
        List<Group> byTier = new ArrayList<>(groups(live, PairState::tier));
        byTier.sort(Comparator.comparing(Group::name, Reports.TIER_ORDER));
        return new Acceptance(byTier, groups(live, PairState::model), groups(live, PairState::promptVersion),
                combinations);
    }

    /** Pairs and accepted pairs per label, most pairs first. */
    private static List<Group> groups(List<PairState> live, Function<PairState, String> label) {
        Map<String, long[]> counts = new HashMap<>();
        for (PairState p : live) {
            long[] c = counts.computeIfAbsent(label.apply(p), k -> new long[2]);
            c[0]++;
            c[1] += p.accepted ? 1 : 0;
        }
        return counts.entrySet().stream()
                .map(e -> new Group(e.getKey(), e.getValue()[0], e.getValue()[1], rate(e.getValue()[1], e.getValue()[0])))
                .sorted(Comparator.comparingLong(Group::pairs).reversed().thenComparing(Group::name))
                .toList();
    }

    private static List<Histogram> histograms(List<PairState> live) {
        List<Histogram> out = new ArrayList<>();
        for (int s = 0; s < SCORES.size(); s++) {
            long[] bins = new long[10];
            long n = 0;
            double sum = 0;
            for (PairState p : live) {
                double v = p.scores[s];
                if (!Double.isNaN(v)) {
                    bins[Math.max(0, Math.min(9, (int) Math.floor(v * 10 + 1e-9)))]++;
                    n++;
                    sum += v;
                }
            }
            out.add(new Histogram(SCORES.get(s), n, n == 0 ? 0 : round(sum / n),
                    java.util.Arrays.stream(bins).boxed().toList()));
        }
        return out;
    }

    private void keepExamples(String key, PairState state, QaPair pair) {
        for (String reason : state.reasons.isEmpty() ? List.of("") : state.reasons) {
            String group = Reasons.group(reason.isEmpty() ? null : reason);
            if (!examples.containsKey(group) && examples.size() >= MAX_GROUPS) {
                continue;
            }
            List<Example> list = examples.computeIfAbsent(group, g -> new ArrayList<>());
            list.removeIf(e -> e.pairKey().equals(key) || !stillRejectedFor(e));
            if (list.size() < EXAMPLES_PER_REASON) {
                list.add(new Example(key, reason, clip(pair.getQuestion()), clip(pair.getAnswer())));
            }
        }
    }

    private boolean stillRejectedFor(Example e) {
        PairState p = pairs.get(e.pairKey());
        return p != null && !p.accepted && !p.removed
                && (p.reasons.contains(e.reason()) || (e.reason().isEmpty() && p.reasons.isEmpty()));
    }

    private List<Rejection> rejections() {
        Map<String, Long> counts = new HashMap<>();
        for (PairState p : pairs.values()) {
            if (!p.accepted && !p.removed) {
                if (p.reasons.isEmpty()) {
                    increment(counts, Reasons.group(null));
                }
                // A pair with the same kind of defect twice counts once under it.
                p.reasons.stream().map(Reasons::group).distinct().forEach(g -> increment(counts, g));
            }
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> new Rejection(e.getKey(), e.getValue(), examples.getOrDefault(e.getKey(), List.of()).stream()
                        .filter(this::stillRejectedFor).toList()))
                .toList();
    }

    private Conflicts conflicts() {
        List<Conflict> items = new ArrayList<>();
        long flagged = 0;
        for (Map.Entry<String, PairState> e : new java.util.TreeMap<>(pairs).entrySet()) {
            PairState p = e.getValue();
            if (!p.removed && !p.flags.isEmpty()) {
                flagged++;
                for (String flag : p.flags) {
                    if (items.size() < 50) {
                        items.add(new Conflict(e.getKey(), p.documentId, flag));
                    }
                }
            }
        }
        return new Conflicts(flagged, items);
    }

    private Completeness completeness() {
        long[] present = new long[COMPLETENESS_FIELDS.size()];
        for (int bits : dataset.values()) {
            for (int i = 0; i < present.length; i++) {
                present[i] += (bits >> i) & 1;
            }
        }
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < present.length; i++) {
            fields.add(new Field(COMPLETENESS_FIELDS.get(i), present[i], rate(present[i], dataset.size())));
        }
        return new Completeness(dataset.size(), fields);
    }

    private DeadLetters deadLetterSummary() {
        List<Group> byTier = new ArrayList<>(named(deadLetterTiers));
        byTier.sort(Comparator.comparing(Group::name, Reports.TIER_ORDER));
        return new DeadLetters(deadLetters, openDeadLetters.size(), named(deadLetterReasons), byTier,
                newestFirst(recentDeadLetters));
    }

    private StageDeadLetters stageDeadLetterSummary() {
        return new StageDeadLetters(stageDeadLetters.values().stream().mapToLong(Long::longValue).sum(),
                stageDeadLetters.entrySet().stream().map(e -> new Group(e.getKey(), e.getValue(), 0, 0)).toList(),
                newestFirst(recentStageDeadLetters));
    }

    private IngestErrors errorSummary() {
        return new IngestErrors(ingestErrors, named(ingestErrorReasons), newestFirst(recentErrors));
    }

    // ---- helpers ----

    private static List<Group> named(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> new Group(e.getKey(), e.getValue(), 0, 0)).toList();
    }

    private static void increment(Map<String, Long> counts, String key) {
        if (counts.containsKey(key) || counts.size() < MAX_GROUPS) {
            counts.merge(key, 1L, Long::sum);
        } else {
            counts.merge("(other)", 1L, Long::sum);
        }
    }

    private static <T> void recent(Deque<T> deque, T item) {
        deque.addLast(item);
        if (deque.size() > RECENT) {
            deque.removeFirst();
        }
    }

    private static <T> List<T> newestFirst(Deque<T> deque) {
        List<T> list = new ArrayList<>(deque);
        java.util.Collections.reverse(list);
        return list;
    }

    private String intern(String s) {
        return s == null ? null : interned.computeIfAbsent(s, Function.identity());
    }

    private static String clip(String s) {
        return s == null || s.length() <= TEXT_LIMIT ? s : s.substring(0, TEXT_LIMIT - 1) + "…";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static double orNaN(Double d) {
        return d == null ? Double.NaN : d;
    }

    static double rate(long part, long whole) {
        return whole == 0 ? 0 : round((double) part / whole);
    }

    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
