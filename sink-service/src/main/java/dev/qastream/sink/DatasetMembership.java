package dev.qastream.sink;

import dev.qastream.runtime.serde.PlainAvroSerde;
import dev.qastream.schemas.DatasetRecord;
import dev.qastream.schemas.ReviewDecision;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Keeps, per pair key, the newest revision seen and whether the pair is in the dataset, and decides
 * what reaches dataset.pairs: an accepted pair at a revision no older than the stored one upserts; a
 * rejected or removed one removes (a tombstone only for a pair that is in the dataset, since every
 * re-generated chunk clears slots that almost never held a pair); anything older is ignored, so a slow
 * tier finishing late can neither bring back nor remove what a newer revision decided.
 *
 * <p>A person's decision (review.decisions) overrides the scores of the pair it was made on
 * ({@link ReviewRules}): so the newest scored pair and the decision of each key are kept too, and whichever
 * arrives second (or an undo) gives the dataset record. A decision on an older revision than the newest can
 * never apply again, so it is dropped.
 *
 * <p>A removal is remembered as long as the topics keep a tombstone ({@code keepRemovals}), then forgotten:
 * otherwise every removed pair, and every slot a re-generated chunk cleared, would stay in the store for
 * good. Not at once: a late older revision of the pair must still find the removal and be ignored.
 */
final class DatasetMembership implements Processor<String, SinkInput, String, DatasetRecord> {
    /** Same store (and changelog) as before revisions: one-byte legacy values read as revision 0. */
    static final String STORE = "dataset-keys";
    /** The newest scored pair of each key not removed: what a decision arriving later applies to. */
    static final String PAIRS_STORE = "dataset-scored-pairs";
    /** A person's decision per key, as long as it may still apply. */
    static final String DECISIONS_STORE = "dataset-review-decisions";

    /** How often the store is swept for removals old enough to forget, and how many keys one sweep reads. */
    static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    static final int SWEEP_KEYS = 10_000;

    private final Function<ScoredPair, DatasetRecord> toRecord;
    private final long keepRemovalsMs;
    private KeyValueStore<String, Membership> members;
    private KeyValueStore<String, ScoredPair> pairs;
    private KeyValueStore<String, ReviewDecision> decisions;
    private ProcessorContext<String, DatasetRecord> context;
    /** Where the next sweep starts (null: the first key): the store is swept a slice at a time. */
    private String sweepFrom;

    DatasetMembership(Function<ScoredPair, DatasetRecord> toRecord, Duration keepRemovals) {
        this.toRecord = toRecord;
        this.keepRemovalsMs = keepRemovals.toMillis();
    }

    /**
     * The newest revision of a pair key and whether the dataset holds it; {@code removedAtMs}: when the pair was
     * removed (wall clock), 0 when it was not (rejected pairs are still there, only not in the dataset).
     */
    record Membership(long revision, boolean present, long removedAtMs) {
        Membership(long revision, boolean present) {
            this(revision, present, 0);
        }

        static Membership removed(long revision, long nowMs) {
            return new Membership(revision, false, nowMs);
        }
    }

    static StoreBuilder<KeyValueStore<String, Membership>> store() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), membershipSerde());
    }

    static StoreBuilder<KeyValueStore<String, ScoredPair>> pairsStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PAIRS_STORE), Serdes.String(),
                PlainAvroSerde.of(ScoredPair.class));
    }

    static StoreBuilder<KeyValueStore<String, ReviewDecision>> decisionsStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DECISIONS_STORE), Serdes.String(),
                PlainAvroSerde.of(ReviewDecision.class));
    }

    @Override
    public void init(ProcessorContext<String, DatasetRecord> context) {
        this.context = context;
        this.members = context.getStateStore(STORE);
        this.pairs = context.getStateStore(PAIRS_STORE);
        this.decisions = context.getStateStore(DECISIONS_STORE);
        context.schedule(SWEEP_EVERY, PunctuationType.WALL_CLOCK_TIME, this::forgetOldRemovals);
    }

    @Override
    public void process(Record<String, SinkInput> record) {
        switch (record.value()) {
            case SinkInput.Scored s -> scored(record, s.pair());
            case SinkInput.Decided d -> decided(record, d.decision());
        }
    }

    private void scored(Record<String, SinkInput> record, ScoredPair scored) {
        Membership stored = members.get(record.key());
        if (scored == null) { // legacy unversioned removal: removes whatever is there
            pairs.delete(record.key());
            if (stored != null) {
                members.put(record.key(), Membership.removed(stored.revision(), context.currentSystemTimeMs()));
                if (stored.present()) {
                    context.forward(record.withValue(null));
                }
            }
            return;
        }
        long revision = scored.getPair().getRevision();
        if (stored != null && revision < stored.revision()) {
            return; // an older revision than one already decided
        }
        boolean removed = scored.getPair().getRemoved();
        if (removed) {
            pairs.delete(record.key());
        } else {
            pairs.put(record.key(), scored);
        }
        DatasetRecord out = ReviewRules.outcome(scored, currentDecision(record.key(), revision), toRecord);
        if (out != null) {
            members.put(record.key(), new Membership(revision, true));
            context.forward(record.withValue(out));
        } else {
            members.put(record.key(), removed
                    ? Membership.removed(revision, context.currentSystemTimeMs()) : new Membership(revision, false));
            if (stored != null && stored.present()) {
                context.forward(record.withValue(null));
            }
        }
    }

    /** The key's decision, dropped when it was made on an older revision than {@code revision}: it cannot apply again. */
    private ReviewDecision currentDecision(String key, long revision) {
        ReviewDecision decision = decisions.get(key);
        if (decision != null && decision.getRevision() < revision) {
            decisions.delete(key);
            return null;
        }
        return decision;
    }

    /** A decision (null: withdrawn): the dataset changes only when the pair's record does. */
    private void decided(Record<String, SinkInput> record, ReviewDecision decision) {
        String key = record.key();
        ReviewDecision before = decisions.get(key);
        Membership stored = members.get(key);
        // The topic keeps only the newest decision per key: one on an older revision replaces a newer one, and,
        // covering no pair that can still come, leaves the key to its scores.
        ReviewDecision now = decision == null || (stored != null && decision.getRevision() < stored.revision())
                ? null : decision;
        if (now == null) {
            decisions.delete(key);
        } else {
            decisions.put(key, now);
        }
        ScoredPair scored = pairs.get(key);
        if (scored == null) {
            return; // the pair has not arrived (or was removed): its arrival applies the decision
        }
        DatasetRecord was = ReviewRules.outcome(scored, before, toRecord);
        DatasetRecord is = ReviewRules.outcome(scored, now, toRecord);
        if (java.util.Objects.equals(was, is)) {
            return;
        }
        long revision = scored.getPair().getRevision();
        members.put(key, new Membership(revision, is != null));
        if (is != null) {
            context.forward(record.withValue(is));
        } else if (stored != null && stored.present()) {
            context.forward(record.withValue(null));
        }
    }

    /** Deletes, from the next slice of the store, the removals older than the topics keep tombstones. */
    private void forgetOldRemovals(long nowMs) {
        List<String> forget = new ArrayList<>();
        String last = null;
        boolean more;
        try (KeyValueIterator<String, Membership> it = sweepFrom == null ? members.all() : members.range(sweepFrom, null)) {
            for (int read = 0; read < SWEEP_KEYS && it.hasNext(); read++) {
                KeyValue<String, Membership> kv = it.next();
                last = kv.key;
                if (kv.value.removedAtMs() > 0 && nowMs - kv.value.removedAtMs() >= keepRemovalsMs) {
                    forget.add(kv.key);
                }
            }
            more = it.hasNext();
        }
        forget.forEach(members::delete);
        sweepFrom = more ? last : null;
    }

    /** 9 bytes (revision, present), 17 for a removal (and when); 1 byte: written before revisions existed. */
    static Serde<Membership> membershipSerde() {
        Serializer<Membership> ser = (topic, m) -> m == null ? null
                : m.removedAtMs() > 0
                ? ByteBuffer.allocate(17).putLong(m.revision()).put((byte) 0).putLong(m.removedAtMs()).array()
                : ByteBuffer.allocate(9).putLong(m.revision()).put((byte) (m.present() ? 1 : 0)).array();
        Deserializer<Membership> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == 1) { // written before revisions existed: a Boolean "in the dataset"
                return new Membership(0, bytes[0] != 0);
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            return new Membership(b.getLong(), b.get() != 0, bytes.length >= 17 ? b.getLong() : 0);
        };
        return Serdes.serdeFrom(ser, de);
    }
}
