package dev.qastream.scoring;

import dev.qastream.runtime.kafka.Topics;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.List;

/**
 * Candidates -> scoring.scored: each scored pair deduplicated against its group's other pairs ({@link Deduplicator},
 * state in a store; of duplicates the best by score, then pair key, is kept, whatever their order of arrival),
 * written keyed by pair key.
 *
 * <p>A Streams app of its own, so a thread of its own: sharing scoring's thread, it got a partition's turn by bytes
 * fetched, and its records (each with an uncompressible vector) are tens of times a pair's size, so under a
 * backlog it starved and pairs waited minutes for the dataset.
 */
public final class DedupTopology {
    public static final String DEDUP_STORE = "pairs-by-document";

    private DedupTopology() {
    }

    public static Topology build(Topics topics, ScoringSettings settings, ScoringListener listener) {
        StreamsBuilder builder = new StreamsBuilder();
        add(builder, topics, settings, listener);
        return builder.build();
    }

    static void add(StreamsBuilder builder, Topics topics, ScoringSettings settings, ScoringListener listener) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEDUP_STORE),
                Serdes.String(), Serdes.ByteArray()));
        KStream<String, Envelope> candidates = builder.stream(topics.candidates.name(),
                Consumed.with(Serdes.String(), Envelope.serde()));
        candidates.process(() -> new DedupProcessor(new Deduplicator(settings.nearDuplicate(), settings.pairsPerFact()), listener), DEDUP_STORE)
                .to(topics.scored.name(), topics.scored.produced());
    }

    /** Deduplication within the group; out keyed by pair key. */
    static final class DedupProcessor implements Processor<String, Envelope, String, ScoredPair> {
        private static final char SEP = '\u0000';
        private final Deduplicator dedup;
        private final ScoringListener listener;
        private ProcessorContext<String, ScoredPair> context;
        private Deduplicator.Store store;

        DedupProcessor(Deduplicator dedup, ScoringListener listener) {
            this.dedup = dedup;
            this.listener = listener;
        }

        @Override
        public void init(ProcessorContext<String, ScoredPair> context) {
            this.context = context;
            KeyValueStore<String, byte[]> kv = context.getStateStore(DEDUP_STORE);
            this.store = new Deduplicator.Store() {
                @Override
                public DedupEntry get(String document, String pairKey) {
                    byte[] b = kv.get(document + SEP + pairKey);
                    return b == null ? null : DedupEntry.fromBytes(b);
                }

                @Override
                public void put(String document, DedupEntry entry) {
                    kv.put(document + SEP + entry.pairKey(), entry.toBytes());
                }

                @Override
                public void delete(String document, String pairKey) {
                    kv.delete(document + SEP + pairKey);
                }

                @Override
                public List<DedupEntry> document(String document) {
                    List<DedupEntry> out = new ArrayList<>();
                    try (KeyValueIterator<String, byte[]> it = kv.prefixScan(document + SEP, new StringSerializer())) {
                        it.forEachRemaining(e -> out.add(DedupEntry.fromBytes(e.value)));
                    }
                    return out;
                }
            };
        }

        @Override
        public void process(Record<String, Envelope> record) {
            Envelope e = record.value();
            if (e == null) {
                return; // a compaction tombstone: nothing was decided by it
            }
            String group = Candidates.group(record.key());
            if (e.forget()) {
                for (Deduplicator.Emit emit : dedup.forget(group, e.pairKey(), store)) {
                    listener.written(emit.scored(), emit.vector()); // the others' new standings only: never null
                    context.forward(record.withKey(emit.pairKey()).withValue(emit.scored()));
                }
                return;
            }
            ScoredPair removalOutput = e.legacyTombstone() ? null : e.scored().isRemoval() ? e.scored().scored() : null;
            for (Deduplicator.Emit emit : dedup.apply(group, e.pairKey(), e.legacyTombstone() ? null : e.scored(),
                    removalOutput, store)) {
                if (emit.scored() != null) {
                    listener.written(emit.scored(), emit.vector());
                }
                context.forward(record.withKey(emit.pairKey()).withValue(emit.scored()));
            }
        }
    }
}
