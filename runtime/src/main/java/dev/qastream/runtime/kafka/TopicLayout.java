package dev.qastream.runtime.kafka;

import org.apache.kafka.common.config.TopicConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each pipeline topic must look like, and the checks of what a cluster has against it: pure functions, used
 * where topics are created ({@link TopicAdmin}) and by {@code doctor}.
 */
public final class TopicLayout {
    /** Non-compacted topics that are only a log (ingest errors) keep 30 days. */
    static final long LOG_RETENTION_MS = 30L * 24 * 3600 * 1000;

    private TopicLayout() {
    }

    /**
     * The settings a topic is created with, and that an existing topic is brought to: compacted topics keep a
     * tombstone for {@code kafka.delete-retention-hours}; request and dead-letter topics never expire (a request waits
     * for a worker and a dead letter for a person or a re-drive, however long that takes); other logs keep 30 days. On a cluster of three replicas or more,
     * min.insync.replicas is RF - 1.
     */
    public static Map<String, String> configs(Topic<?, ?> topic, KafkaSettings settings) {
        Map<String, String> c = new LinkedHashMap<>();
        if (topic.compacted()) {
            c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            c.put(TopicConfig.DELETE_RETENTION_MS_CONFIG, String.valueOf(settings.deleteRetentionMs()));
        } else {
            c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
            c.put(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(neverExpires(topic.name()) ? -1 : LOG_RETENTION_MS));
        }
        if (settings.replicationFactor() >= 3) {
            c.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(settings.minInsyncReplicas()));
        }
        return c;
    }

    /** Work that must wait however long it takes: the request topics and the dead-letter topics. */
    public static boolean neverExpires(String topicName) {
        return topicName.startsWith(Topics.REQUESTS_PREFIX) || isDeadLetters(topicName);
    }

    /** Dead-letter topics: generation.dlq and every {@code *.dlq} of the Streams apps. */
    public static boolean isDeadLetters(String topicName) {
        return topicName.equals(Topics.GENERATION_DLQ) || topicName.endsWith(".dlq");
    }

    /** Topics whose partitions must line up, and why. */
    record CoPartitioned(List<String> topics, String why) {
    }

    /**
     * Scoring reads each chunk's pairs (repartitioned by chunk id, with as many partitions as generation.pairs) next
     * to the chunk table of ingest.chunks, so a chunk and its pairs must land on partitions of the same number. The
     * sink reads a pair (scoring.scored) and a person's decision on it (review.decisions) in one task, both keyed
     * by pair key: with different counts a key lands on different partition numbers and the decision never applies.
     */
    static final List<CoPartitioned> CO_PARTITIONED = List.of(
            new CoPartitioned(List.of(Topics.INGEST_CHUNKS, Topics.GENERATION_PAIRS),
                    "scoring joins each chunk with its pairs by chunk id"),
            new CoPartitioned(List.of(Topics.SCORING_SCORED, Topics.REVIEW_DECISIONS),
                    "the sink applies each person's decision to the pair of the same key"));

    /** Problems with partition counts (empty when all is well), each saying what to do. */
    public static List<String> partitionProblems(Map<String, Integer> partitionsByTopic) {
        List<String> problems = new ArrayList<>();
        for (CoPartitioned group : CO_PARTITIONED) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            group.topics().forEach(t -> {
                if (partitionsByTopic.containsKey(t)) {
                    counts.put(t, partitionsByTopic.get(t));
                }
            });
            if (counts.values().stream().distinct().count() > 1) {
                problems.add("topics " + counts + " must have the same number of partitions (" + group.why()
                        + "); create them with ./pipeline topics create before any data, or recreate the one that differs");
            }
        }
        return problems;
    }

    /**
     * Whether ingest.chunks was recreated since this data directory last saw it (its topic id changed): the
     * revisions of chunks, pairs and removals are offsets of ingest.chunks, so after a recreation new chunks have
     * revisions older than those remembered downstream and are ignored until state is reset.
     */
    public static String recreatedProblem(String topic, String knownId, String currentId) {
        if (knownId == null || currentId == null || knownId.equals(currentId)) {
            return null;
        }
        return topic + " was recreated (topic id " + knownId + " before, " + currentId + " now): revisions are its "
                + "offsets, so stages that remember newer revisions ignore the new chunks; reset the data (a new "
                + "--data-dir and new topics) rather than recreate one topic";
    }
}
