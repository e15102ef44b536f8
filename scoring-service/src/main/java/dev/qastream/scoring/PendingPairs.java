package dev.qastream.scoring;

import dev.qastream.schemas.QaPair;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.util.ArrayList;
import java.util.List;

/**
 * Pairs waiting for their batch, in arrival order, in a logged state store. The store's changelog is written in
 * the same transaction as the consumed offsets, so a pair that was consumed but not yet scored when the process
 * stopped is still waiting after the restart: none is lost, none is scored twice.
 */
final class PendingPairs {
    private final TimestampedKeyValueStore<Long, QaPair> store;
    private long next;
    private int size;

    PendingPairs(TimestampedKeyValueStore<Long, QaPair> store) {
        this.store = store;
        // Restored after a restart: go on after the last one (keys are non-negative, so byte order is number order).
        try (KeyValueIterator<Long, ValueAndTimestamp<QaPair>> it = store.all()) {
            while (it.hasNext()) {
                next = it.next().key + 1;
                size++;
            }
        }
    }

    record Pending(QaPair pair, long timestamp) {
    }

    void add(QaPair pair, long timestamp) {
        store.put(next++, ValueAndTimestamp.make(pair, timestamp));
        size++;
    }

    int size() {
        return size;
    }

    /** Every waiting pair, oldest first; the store is left empty. */
    List<Pending> drain() {
        List<Pending> out = new ArrayList<>(size);
        List<Long> keys = new ArrayList<>(size);
        try (KeyValueIterator<Long, ValueAndTimestamp<QaPair>> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<Long, ValueAndTimestamp<QaPair>> e = it.next();
                keys.add(e.key);
                out.add(new Pending(e.value.value(), e.value.timestamp()));
            }
        }
        keys.forEach(store::delete);
        next = 0;
        size = 0;
        return out;
    }
}
