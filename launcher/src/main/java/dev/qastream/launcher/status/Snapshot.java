package dev.qastream.launcher.status;

import java.util.Map;

/**
 * What `status` shows at one moment. Counts are of what the topics hold now (the newest record per key of a
 * compacted topic; removals not counted); -1 where a figure is not known.
 *
 * @param reviewed     scored pairs (not removed) with a person's decision on review.decisions
 * @param lag          unprocessed records per consumer group
 * @param committed    committed offsets summed per consumer group (what each has processed), for rates
 * @param tokens       tokens generated so far per "tier model", from /metrics; empty when not available
 * @param stageDeadLetters records each Streams stage set aside on its dead-letter topic, per topic
 * @param facts        facts of the documents coverage.documents holds (-1: no coverage yet)
 * @param factsCovered of those, the ones an accepted pair covers (-1: no coverage yet)
 */
public record Snapshot(long atMs, String where, long documents, long chunks, long pairs, long scored, long accepted,
                       long dataset, long reviewed, long deadLetters, long ingestErrors, Map<String, Long> lag,
                       Map<String, Long> committed, Map<String, Double> tokens, Map<String, Long> stageDeadLetters,
                       long facts, long factsCovered) {
    /** Without coverage figures. */
    public Snapshot(long atMs, String where, long documents, long chunks, long pairs, long scored, long accepted,
                    long dataset, long reviewed, long deadLetters, long ingestErrors, Map<String, Long> lag,
                    Map<String, Long> committed, Map<String, Double> tokens, Map<String, Long> stageDeadLetters) {
        this(atMs, where, documents, chunks, pairs, scored, accepted, dataset, reviewed, deadLetters, ingestErrors, lag,
                committed, tokens, stageDeadLetters, -1, -1);
    }
}
