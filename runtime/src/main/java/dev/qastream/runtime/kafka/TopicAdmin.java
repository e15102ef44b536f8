package dev.qastream.runtime.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Creates the pipeline's topics if missing: compacted where the topic holds the newest state of things.
 * On compacted topics a tombstone (a removal) is kept for {@code kafka.delete-retention-hours} after
 * compaction reaches it: a stage that is down longer than that could miss the removal and keep a pair
 * that should be gone, so the setting is deliberate, and topics created before it are brought in line.
 */
public final class TopicAdmin {
    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {
    }

    public static void ensureTopics(KafkaSettings settings, Topics topics) {
        String deleteRetentionMs = String.valueOf(settings.deleteRetentionMs());
        try (Admin admin = Admin.create(settings.admin())) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            List<String> existingCompacted = new ArrayList<>();
            for (Topic<?, ?> t : topics.all()) {
                if (existing.contains(t.name())) {
                    if (t.compacted()) {
                        existingCompacted.add(t.name());
                    }
                    continue;
                }
                NewTopic nt = new NewTopic(t.name(), settings.partitions(), (short) settings.replicationFactor());
                nt.configs(t.compacted()
                        ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                                TopicConfig.DELETE_RETENTION_MS_CONFIG, deleteRetentionMs)
                        : Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000)));
                missing.add(nt);
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) { // another process created them first
                        throw e;
                    }
                }
                awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
            }
            alignDeleteRetention(admin, existingCompacted, deleteRetentionMs);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create or configure topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * Waits until every partition of new topics has a leader: a Streams global store started right after
     * creation fails with "no partitions available" while the metadata has not reached the broker yet.
     */
    private static void awaitLeaders(Admin admin, List<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                boolean ready = admin.describeTopics(names).allTopicNames().get().values().stream()
                        .allMatch(d -> !d.partitions().isEmpty() && d.partitions().stream().allMatch(p -> p.leader() != null));
                if (ready) {
                    return;
                }
            } catch (ExecutionException notYetKnown) {
                // UnknownTopicOrPartition until the metadata arrives
            }
            Thread.sleep(100);
        }
        log.warn("topics {} have no leader for every partition after 30 s", names);
    }

    /** Sets delete.retention.ms on compacted topics created earlier with another value (or the broker default). */
    private static void alignDeleteRetention(Admin admin, Collection<String> topicNames, String deleteRetentionMs)
            throws ExecutionException, InterruptedException {
        if (topicNames.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = topicNames.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.DELETE_RETENTION_MS_CONFIG);
            if (entry == null || !deleteRetentionMs.equals(entry.value())) {
                log.info("topic {}: delete.retention.ms {} -> {}", resource.name(),
                        entry == null ? "unset" : entry.value(), deleteRetentionMs);
                changes.put(resource, List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.DELETE_RETENTION_MS_CONFIG, deleteRetentionMs), AlterConfigOp.OpType.SET)));
            }
        });
        if (!changes.isEmpty()) {
            admin.incrementalAlterConfigs(changes).all().get();
        }
    }
}
