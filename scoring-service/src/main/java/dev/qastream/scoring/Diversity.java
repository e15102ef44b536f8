package dev.qastream.scoring;

import dev.qastream.schemas.ScoredPair;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Diversity of the accepted pairs, per document and overall: the question-type distribution and a score in
 * [0, 1], the mean of the type entropy (normalised by the number of types) and the embedding spread (one
 * minus the mean pairwise cosine, from the running sum of unit vectors). Fed with what scoring writes; kept
 * for metrics and summaries only (the dataset does not depend on it).
 */
public final class Diversity {
    private record Entry(String document, String type, float[] vector) {
    }

    private final Map<String, Entry> accepted = new LinkedHashMap<>();

    /**
     * Records a written pair: an accepted one counts, anything else for its key stops counting.
     *
     * @param vector the question's and the answer's vectors one after the other (as scoring keeps them), or empty
     */
    public synchronized void record(ScoredPair s, float[] vector) {
        if (vector != null && vector.length > 0) {
            int half = vector.length / 2;
            vector = Vectors.mean(java.util.Arrays.copyOfRange(vector, 0, half), java.util.Arrays.copyOfRange(vector, half, vector.length));
        }
        String key = s.getPair().getPairKey();
        if (s.getAccepted()) {
            accepted.put(key, new Entry(s.getPair().getDocumentId(), QuestionTypes.of(s.getPair()), vector));
        } else {
            accepted.remove(key);
        }
    }

    public record Summary(int pairs, Map<String, Integer> types, double typeEntropy, Double spread, double score) {
    }

    public synchronized Summary overall() {
        return summarise(new ArrayList<>(accepted.values()));
    }

    /** Diversity score of one document's accepted pairs (0 when it has none). */
    public synchronized double score(String document) {
        return summarise(accepted.values().stream().filter(e -> e.document().equals(document)).toList()).score();
    }

    public synchronized Map<String, Summary> perDocument() {
        Map<String, List<Entry>> byDoc = new TreeMap<>();
        accepted.values().forEach(e -> byDoc.computeIfAbsent(e.document(), d -> new ArrayList<>()).add(e));
        Map<String, Summary> out = new TreeMap<>();
        byDoc.forEach((d, list) -> out.put(d, summarise(list)));
        return out;
    }

    /** Lines for a summary: overall first, then per document. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("diversity: " + describe(overall()));
        perDocument().forEach((d, s) -> out.add("  " + d + ": " + describe(s)));
        return out;
    }

    private static String describe(Summary s) {
        StringBuilder types = new StringBuilder();
        s.types().forEach((t, n) -> {
            if (n > 0) {
                types.append(types.isEmpty() ? "" : ", ").append(t).append(' ').append(n);
            }
        });
        return String.format("%.2f over %d pairs (types: %s; type entropy %.2f, embedding spread %s)", s.score(), s.pairs(),
                types.isEmpty() ? "none" : types, s.typeEntropy(), s.spread() == null ? "n/a" : String.format("%.2f", s.spread()));
    }

    private static Summary summarise(List<Entry> entries) {
        Map<String, Integer> types = new LinkedHashMap<>();
        QuestionTypes.TYPES.forEach(t -> types.put(t, 0));
        entries.forEach(e -> types.merge(e.type(), 1, Integer::sum));
        int n = entries.size();
        double entropy = 0;
        for (int c : types.values()) {
            if (c > 0) {
                double p = (double) c / n;
                entropy -= p * Math.log(p);
            }
        }
        entropy = n == 0 ? 0 : entropy / Math.log(QuestionTypes.TYPES.size());
        Double spread = null;
        List<float[]> vectors = entries.stream().map(Entry::vector).filter(v -> v != null && v.length > 0).toList();
        if (vectors.size() >= 2) {
            double[] sum = new double[vectors.get(0).length];
            for (float[] v : vectors) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += v[i];
                }
            }
            double sq = 0;
            for (double x : sum) {
                sq += x * x;
            }
            int m = vectors.size();
            double meanCos = (sq - m) / ((double) m * (m - 1));
            spread = Math.max(0, Math.min(1, 1 - meanCos));
        }
        double score = spread == null ? entropy : (entropy + spread) / 2;
        return new Summary(n, types, round(entropy), spread == null ? null : round(spread), round(score));
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
