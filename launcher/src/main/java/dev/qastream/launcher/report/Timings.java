package dev.qastream.launcher.report;

import dev.qastream.launcher.report.QualityReport.DocumentTiming;
import dev.qastream.launcher.report.QualityReport.Stats;
import dev.qastream.launcher.report.QualityReport.Timing;
import dev.qastream.launcher.report.ReportState.DocumentState;
import dev.qastream.launcher.report.ReportState.PairState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Latency per document, from its newest ingest to its first generated pair and to its last accepted pair
 * (scored and so written to the dataset), and throughput over the whole span. Pairs made before the
 * document's newest version (older revisions) do not count towards it.
 */
final class Timings {
    static final int BUCKETS = 30;
    static final int SLOWEST = 10;

    private Timings() {
    }

    static Timing of(Map<String, DocumentState> documents, Map<String, PairState> pairs, Set<String> datasetKeys) {
        Map<String, long[]> perDoc = new HashMap<>(); // pairs, accepted, first generated, last in dataset
        long lastScored = 0;
        long scoredSinceIngest = 0;
        long firstIngest = documents.values().stream().filter(d -> !d.failed()).mapToLong(DocumentState::updatedAtMs)
                .min().orElse(0);
        for (Map.Entry<String, PairState> e : pairs.entrySet()) {
            PairState p = e.getValue();
            DocumentState d = documents.get(p.documentId());
            if (p.removed() || d == null || d.failed() || p.generatedAtMs() < d.updatedAtMs()) {
                continue;
            }
            long[] t = perDoc.computeIfAbsent(p.documentId(), k -> new long[] {0, 0, Long.MAX_VALUE, 0});
            t[0]++;
            t[2] = Math.min(t[2], p.generatedAtMs());
            if (p.accepted() && datasetKeys.contains(e.getKey())) {
                t[1]++;
                t[3] = Math.max(t[3], p.scoredAtMs());
            }
            lastScored = Math.max(lastScored, p.scoredAtMs());
            scoredSinceIngest++;
        }
        List<DocumentTiming> timings = new ArrayList<>();
        perDoc.forEach((doc, t) -> {
            long ingested = documents.get(doc).updatedAtMs();
            timings.add(new DocumentTiming(doc, t[0], t[1], Math.max(0, t[2] - ingested),
                    t[1] == 0 ? -1 : Math.max(0, t[3] - ingested)));
        });
        double minutes = Math.max(1, lastScored - firstIngest) / 60_000.0;
        long bucketMs = Math.max(1, (lastScored - firstIngest + BUCKETS - 1) / BUCKETS);
        long[] buckets = new long[BUCKETS];
        for (PairState p : pairs.values()) {
            if (!p.removed() && lastScored > 0 && p.scoredAtMs() >= firstIngest) {
                buckets[(int) Math.min(BUCKETS - 1, (p.scoredAtMs() - firstIngest) / bucketMs)]++;
            }
        }
        List<DocumentTiming> slowest = timings.stream()
                .sorted(Comparator.comparingLong((DocumentTiming t) -> Math.max(t.toDatasetMs(), t.toFirstPairMs()))
                        .reversed().thenComparing(DocumentTiming::documentId))
                .limit(SLOWEST).toList();
        boolean any = !timings.isEmpty();
        return new Timing(timings.size(),
                stats(timings.stream().mapToLong(DocumentTiming::toFirstPairMs).toArray()),
                stats(timings.stream().mapToLong(DocumentTiming::toDatasetMs).filter(v -> v >= 0).toArray()),
                any ? firstIngest : 0, any ? lastScored : 0,
                any ? ReportState.round(timings.size() / minutes) : 0,
                any ? ReportState.round(scoredSinceIngest / minutes) : 0,
                any ? bucketMs : 0, any ? Arrays.stream(buckets).boxed().toList() : List.of(), slowest);
    }

    static Stats stats(long[] values) {
        if (values.length == 0) {
            return new Stats(0, 0, 0, 0);
        }
        long[] v = values.clone();
        Arrays.sort(v);
        return new Stats(v.length, percentile(v, 0.5), percentile(v, 0.9), v[v.length - 1]);
    }

    /** Nearest rank. */
    private static long percentile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
