package dev.qastream.launcher.report;

import java.util.List;

/**
 * The quality report of the dataset as it stands: what {@code out/report.json} holds and
 * {@code out/report.html} shows. Built from the topics by {@link ReportState}; plain data, no behaviour.
 */
public record QualityReport(
        long generatedAtMs,
        Counts counts,
        Acceptance acceptance,
        List<Histogram> scores,
        List<Group> questionTypes,
        List<Rejection> rejectionReasons,
        Conflicts conflicts,
        Completeness metadataCompleteness,
        DeadLetters deadLetters,
        StageDeadLetters stageDeadLetters,
        IngestErrors ingestErrors,
        Timing timing,
        Review review,
        Coverage coverage) {

    /**
     * Facts of the documents (coverage.documents) that accepted pairs cover: overall, per document with the
     * diversity of its question types, and the facts still uncovered with why (the first {@code MAX_UNCOVERED}).
     */
    public record Coverage(long facts, long covered, double ratio, double diversity, List<DocumentCoverage> documents,
                           long uncoveredCount, List<Uncovered> uncovered) {
        public static final int MAX_UNCOVERED = 500;
    }

    public record DocumentCoverage(String documentId, long facts, long covered, double ratio, double diversity,
                                   int followUps) {
    }

    /** @param reason never answered, answered wrongly, or rejected; {@code detail} the wrong value or the rejection */
    public record Uncovered(String documentId, String kind, String subject, String fact, String value, String reason,
                            String detail) {
    }

    /**
     * Counts per stage. Pairs are the newest state per pair key on scoring.scored; a key whose newest
     * state is a removal is not a pair, and counts as a removal only if the pair it removed was accepted (it left
     * the dataset): removals of slots that held nothing, or a rejected pair, take nothing away. Documents are those
     * ingest.documents holds (every run); the throughput panel measures only those with pairs of their newest version.
     */
    public record Counts(long documents, long documentsFailed, long chunks, long ingestErrors, long pairs,
                         long accepted, long rejected, long removals, long deadLetters, long dataset) {
    }

    /**
     * People's decisions (review.decisions, newest per pair key) that cover the pair scored now: {@code reviewed}
     * = accepted as generated + edited + rejected; {@code outdated}: decisions on a pair made again since (or not
     * scored yet), which the scores decide until a person looks again.
     */
    public record Review(long reviewed, long accepted, long edited, long rejected, long outdated) {
    }

    /** Share of pairs accepted, by tier, model, prompt version, and by the three together. */
    public record Acceptance(List<Group> byTier, List<Group> byModel, List<Group> byPromptVersion,
                             List<Combination> combinations) {
    }

    public record Group(String name, long pairs, long accepted, double acceptanceRate) {
    }

    public record Combination(String tier, String model, String promptVersion, long pairs, long accepted,
                              double acceptanceRate) {
    }

    /** Ten bins of width 0.1 over [0, 1] (1.0 falls in the last); count 0 when the score was never computed. */
    public record Histogram(String score, long count, double mean, List<Long> bins) {
    }

    /** A rejection reason with the numbers and names taken out, so alike reasons group together. */
    public record Rejection(String reason, long count, List<Example> examples) {
    }

    public record Example(String pairKey, String reason, String question, String answer) {
    }

    /** Notes from scoring that did not reject, e.g. two documents that state different values; pairs carrying any. */
    public record Conflicts(long pairs, List<Conflict> items) {
    }

    public record Conflict(String pairKey, String documentId, String flag) {
    }

    public record Completeness(long records, List<Field> fields) {
    }

    public record Field(String field, long present, double share) {
    }

    /** @param open those not re-driven since they were given up ({@code replay --dead-letters} marks them) */
    public record DeadLetters(long count, long open, List<Group> byReason, List<Group> byTier, List<DeadLetter> recent) {
    }

    public record DeadLetter(String chunkId, String tier, List<String> tiersTried, String reason, long failedAtMs) {
    }

    /**
     * Records a Streams stage could not read or process, set aside with the reason on its dead-letter topic
     * (router.dlq, scoring.dlq, sink.dlq) while the stage went on; {@code byTopic} names every such topic.
     */
    public record StageDeadLetters(long count, List<Group> byTopic, List<StageDeadLetter> recent) {
    }

    /** @param source the record's topic, partition and offset; {@code reason} the exception and its message */
    public record StageDeadLetter(String topic, String source, String reason, long atMs) {
    }

    public record IngestErrors(long count, List<Group> byReason, List<IngestError> recent) {
    }

    public record IngestError(String path, String reason, long occurredAtMs) {
    }

    /**
     * Throughput and latency from a document's ingest (its record on ingest.documents) to its pairs: the first
     * generated, and the last accepted one scored into the dataset. Only pairs made since the document's
     * newest version count.
     */
    public record Timing(long documentsMeasured, Stats toFirstPairMs, Stats toDatasetMs, long firstIngestMs,
                         long lastScoredMs, double documentsPerMinute, double pairsPerMinute, long bucketMs,
                         List<Long> pairsScoredOverTime, List<DocumentTiming> slowest) {
    }

    public record Stats(long count, long p50, long p90, long max) {
    }

    public record DocumentTiming(String documentId, long pairs, long accepted, long toFirstPairMs, long toDatasetMs) {
    }
}
