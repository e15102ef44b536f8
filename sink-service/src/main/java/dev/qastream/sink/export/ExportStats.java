package dev.qastream.sink.export;

import dev.qastream.schemas.DatasetRecord;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an export wrote, for its summary and the dataset card: small by construction (per split, model,
 * prompt version and score bucket), plus the first documents by name. Pairs arrive in key order, so the
 * pairs of one document arrive together and distinct documents can be counted without a set.
 */
final class ExportStats {
    static final int LISTED_DOCUMENTS = 100;

    final Map<Split, Long> perSplit = new EnumMap<>(Split.class);
    final Map<String, Long> perModel = new TreeMap<>();
    final Map<String, Long> perPromptVersion = new TreeMap<>();
    final Map<String, Long> perTier = new TreeMap<>();
    final Map<String, Long> perQuestionType = new TreeMap<>();
    final long[] scoreBuckets = new long[10]; // [0.0, 0.1), ..., [0.9, 1.0]
    final List<String> documents = new ArrayList<>();
    long documentCount;
    /** Pairs a person accepted as generated, or edited; and rejected (not in the dataset: counted apart). */
    long reviewedAccepted;
    long reviewedEdited;
    long rejectedByPeople;
    boolean reviewedOnly;
    long pairs;
    double scoreSum;
    private String lastDocument;

    void add(DatasetRecord r, Split split) {
        pairs++;
        perSplit.merge(split, 1L, Long::sum);
        perModel.merge(r.getModel(), 1L, Long::sum);
        perPromptVersion.merge(r.getPromptVersion(), 1L, Long::sum);
        perTier.merge(r.getTier(), 1L, Long::sum);
        perQuestionType.merge(r.getQuestionType() == null ? "unspecified" : r.getQuestionType(), 1L, Long::sum);
        if ("accepted".equals(r.getReviewed())) {
            reviewedAccepted++;
        } else if ("edited".equals(r.getReviewed())) {
            reviewedEdited++;
        }
        double score = r.getQualityScore();
        scoreBuckets[Math.max(0, Math.min(9, (int) Math.floor(score * 10)))]++;
        scoreSum += score;
        if (!r.getSourceDocument().equals(lastDocument)) {
            lastDocument = r.getSourceDocument();
            documentCount++;
            if (documents.size() < LISTED_DOCUMENTS) {
                documents.add(lastDocument);
            }
        }
    }

    long count(Split split) {
        return perSplit.getOrDefault(split, 0L);
    }
}
