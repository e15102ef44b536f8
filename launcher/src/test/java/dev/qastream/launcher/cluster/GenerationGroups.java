package dev.qastream.launcher.cluster;

import dev.qastream.generation.GenerationService;
import dev.qastream.runtime.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Who holds which partitions of the generation tiers' request topics, as the consumer groups tell it (one group per
 * tier, {@link GenerationService#groupId}): each member's current assignment, the partitions it acknowledged.
 */
final class GenerationGroups {
    /** Group id to member id to the partitions that member holds now. */
    record Holders(Map<String, Map<String, Set<TopicPartition>>> byGroup) {
        /** Every tier's group has {@code count} members, each holding partitions, and no partition unheld. */
        boolean spreadOver(int count, int partitions) {
            return byGroup.values().stream().allMatch(members -> members.size() == count
                    && members.values().stream().noneMatch(Set::isEmpty)
                    && members.values().stream().mapToInt(Set::size).sum() == partitions);
        }

        /** Every tier's group has one member left, one of {@code before}'s, and it holds every partition. */
        boolean heldBySurvivorOf(Holders before, int partitions) {
            return byGroup.entrySet().stream().allMatch(g -> g.getValue().size() == 1
                    && before.byGroup().getOrDefault(g.getKey(), Map.of()).keySet().containsAll(g.getValue().keySet())
                    && g.getValue().values().iterator().next().size() == partitions);
        }
    }

    private final Admin admin;

    GenerationGroups(Admin admin) {
        this.admin = admin;
    }

    Holders now() {
        try {
            Map<String, String> groups = new TreeMap<>();
            for (String tier : Topics.TIERS) {
                groups.put(GenerationService.groupId(tier), tier);
            }
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups.keySet()).all()
                    .get(10, TimeUnit.SECONDS);
            Map<String, Map<String, Set<TopicPartition>>> byGroup = new TreeMap<>();
            described.forEach((group, d) -> {
                Map<String, Set<TopicPartition>> members = new TreeMap<>();
                for (MemberDescription m : d.members()) {
                    members.put(m.consumerId(), new HashSet<>(m.assignment().topicPartitions()));
                }
                byGroup.put(group, members);
            });
            return new Holders(byGroup);
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe the generation groups: " + e, e);
        }
    }

    /** Polls the groups until {@code done} holds; returns what they hold then, or throws naming the last seen. */
    Holders await(Predicate<Holders> done, Duration within, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        Holders last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = now();
                if (done.test(last)) {
                    return last;
                }
            } catch (IllegalStateException e) {
                // a coordinator moving: ask again
            }
            ChildJvm.sleep(250);
        }
        throw new AssertionError("the generation groups did not reach: " + what + " within " + within.toSeconds()
                + " s; last: " + last);
    }
}
