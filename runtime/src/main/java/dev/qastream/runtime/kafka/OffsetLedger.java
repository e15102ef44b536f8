package dev.qastream.runtime.kafka;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records a transactional worker holds while slow work (a model call) decides them, per partition in offset
 * order. Results are written, and offsets committed, only for the decided prefix of each partition: one decided out
 * of order waits for the ones before it, so the committed offset never passes a record whose result is not in the
 * same or an earlier transaction, and a crash re-delivers exactly the records whose results were not committed.
 */
public final class OffsetLedger<J extends OffsetLedger.Entry> {

    /** One record held, from the poll until its result is committed or its partition is revoked. */
    public interface Entry {
        TopicPartition partition();

        long offset();

        boolean decided();

        /** Its partition was revoked or lost: whatever it yields later is discarded. */
        void markDropped();
    }

    private final Map<TopicPartition, ArrayDeque<J>> byPartition = new HashMap<>();
    private int size;

    public void add(J entry) {
        byPartition.computeIfAbsent(entry.partition(), tp -> new ArrayDeque<>()).add(entry);
        size++;
    }

    public int size() {
        return size;
    }

    /** The decided prefix of each partition (all partitions when {@code only} is null). */
    public List<J> decidedPrefix(Collection<TopicPartition> only) {
        List<J> out = new ArrayList<>();
        byPartition.forEach((tp, entries) -> {
            if (only == null || only.contains(tp)) {
                for (J e : entries) {
                    if (!e.decided()) {
                        break;
                    }
                    out.add(e);
                }
            }
        });
        return out;
    }

    /** Every entry held for these partitions, decided or not. */
    public List<J> entriesOf(Collection<TopicPartition> partitions) {
        List<J> out = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            ArrayDeque<J> entries = byPartition.get(tp);
            if (entries != null) {
                out.addAll(entries);
            }
        }
        return out;
    }

    /** Offsets to commit with {@code written}: one past the last written record of each partition. */
    public static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<? extends Entry> written) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (Entry e : written) {
            offsets.merge(e.partition(), new OffsetAndMetadata(e.offset() + 1), (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return offsets;
    }

    /** Forgets the entries whose results were committed (they are the heads of their partitions). */
    public void committed(List<J> written) {
        for (J e : written) {
            ArrayDeque<J> entries = byPartition.get(e.partition());
            if (entries != null && entries.peekFirst() == e) {
                entries.pollFirst();
                size--;
            }
        }
        byPartition.values().removeIf(ArrayDeque::isEmpty);
    }

    /** Drops every entry of these partitions (revoked or lost), marked so that late results are discarded. */
    public void drop(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            ArrayDeque<J> entries = byPartition.remove(tp);
            if (entries != null) {
                entries.forEach(Entry::markDropped);
                size -= entries.size();
            }
        }
    }
}
