package dev.qastream.runtime.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
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
 * Creates the pipeline's topics if missing, with the settings of {@link TopicLayout}, brings existing ones to them,
 * and refuses to go on when co-partitioned topics differ in partition count. On compacted topics a tombstone (a removal) is kept for {@code kafka.delete-retention-hours} after
 * compaction reaches it: a stage that is down longer than that could miss the removal and keep a pair
 * that should be gone, so the setting is deliberate, and topics created before it are brought in line.
 */
public final class TopicAdmin {
    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {
    }

    public static void ensureTopics(KafkaSettings settings, Topics topics) {
        try (Admin admin = Admin.create(settings.admin())) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            List<Topic<?, ?>> present = new ArrayList<>();
            for (Topic<?, ?> t : topics.all()) {
                if (existing.contains(t.name())) {
                    present.add(t);
                    continue;
                }
                NewTopic nt = new NewTopic(t.name(), settings.partitions(), (short) settings.replicationFactor());
                nt.configs(TopicLayout.configs(t, settings));
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
            alignConfigs(admin, present, settings);
            Map<String, TopicDescription> described = admin.describeTopics(
                    topics.all().stream().map(Topic::name).toList()).allTopicNames().get();
            Map<String, Integer> partitions = new HashMap<>();
            described.forEach((name, d) -> partitions.put(name, d.partitions().size()));
            List<String> problems = TopicLayout.partitionProblems(partitions);
            if (!problems.isEmpty()) {
                throw new IllegalStateException(String.join("; ", problems));
            }
            TopicIds.remember(settings.dataDir(), described);
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

    /**
     * Brings topics created earlier (by an older version, by hand, or with the broker's defaults) to the settings
     * of {@link TopicLayout#configs}, changing only what differs and logging each change.
     */
    private static void alignConfigs(Admin admin, List<Topic<?, ?>> topics, KafkaSettings settings)
            throws ExecutionException, InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList()).all().get();
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        for (Topic<?, ?> t : topics) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, t.name());
            Config config = configs.get(resource);
            List<AlterConfigOp> ops = new ArrayList<>();
            TopicLayout.configs(t, settings).forEach((key, wanted) -> {
                ConfigEntry entry = config.get(key);
                if (entry == null || !wanted.equals(entry.value())) {
                    log.info("topic {}: {} {} -> {}", t.name(), key, entry == null ? "unset" : entry.value(), wanted);
                    ops.add(new AlterConfigOp(new ConfigEntry(key, wanted), AlterConfigOp.OpType.SET));
                }
            });
            if (!ops.isEmpty()) {
                changes.put(resource, ops);
            }
        }
        if (!changes.isEmpty()) {
            admin.incrementalAlterConfigs(changes).all().get();
        }
    }
}
