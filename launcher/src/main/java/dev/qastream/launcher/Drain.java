package dev.qastream.launcher;

import dev.qastream.runtime.Service;
import dev.qastream.runtime.kafka.ConsumerLag;
import dev.qastream.runtime.kafka.Topics;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits until the pipeline has processed everything: every stage's consumer lag is zero and the dataset
 * file reflects the dataset topic. Stages are checked in pipeline order, upstream first: since each stage
 * commits its input offsets and its output in one transaction, a record in flight is always seen as
 * lag of some stage checked after the one it left, or as held by a stage ({@link Service#inFlight}: pairs
 * waiting for their scoring batch, committed with the store that keeps them).
 */
public final class Drain {
    private Drain() {
    }

    /** Returns null when drained, else what is still lagging when the timeout passed. */
    public static String await(Stack stack, Duration timeout, java.util.function.Consumer<String> progress)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int cleanPasses = 0;
        String lagging = "";
        long lastReport = 0;
        try (ConsumerLag lag = new ConsumerLag(stack.context().kafka())) {
            while (System.nanoTime() < deadline) {
                lagging = laggingStages(stack, lag);
                if (lagging.isEmpty()) {
                    if (++cleanPasses >= 2) {
                        return null;
                    }
                } else {
                    cleanPasses = 0;
                    if (System.currentTimeMillis() - lastReport > 5_000) {
                        progress.accept("waiting: " + lagging);
                        lastReport = System.currentTimeMillis();
                    }
                }
                Thread.sleep(300);
            }
        }
        return lagging;
    }

    private static String laggingStages(Stack stack, ConsumerLag lag) {
        for (Service s : stack.services()) {
            if (!s.healthy()) {
                return s.name() + " is not healthy";
            }
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        // Pipeline order: services were added downstream first.
        List<Service> upstreamFirst = new ArrayList<>(stack.services());
        java.util.Collections.reverse(upstreamFirst);
        upstreamFirst.forEach(s -> groups.putAll(s.consumerGroups()));
        List<String> lagging = new ArrayList<>();
        groups.forEach((group, topics) -> {
            long n = lag.lag(group, topics);
            if (n > 0) {
                lagging.add(group + " (" + n + ")");
            }
        });
        for (Service s : stack.services()) {
            long held = s.inFlight(); // taken in and committed, not yet written: no lag shows it
            if (held > 0) {
                lagging.add(s.name() + " (" + held + " in a batch)");
            }
        }
        Map<TopicPartition, Long> datasetEnd = lag.endOffsets(List.of(Topics.DATASET_PAIRS));
        if (!stack.sink().writer().caughtUpTo(datasetEnd)) {
            lagging.add("dataset file writer");
        }
        return String.join(", ", lagging);
    }
}
