package dev.qastream.sink;

import dev.qastream.schemas.DatasetRecord;
import dev.qastream.schemas.ScoredPair;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * Keeps, per pair key, the newest revision seen and whether the pair is in the dataset, and decides
 * what reaches dataset.pairs: an accepted pair at a revision no older than the stored one upserts; a
 * rejected or removed one removes (a tombstone only for a pair that is in the dataset, since every
 * re-generated chunk clears slots that almost never held a pair); anything older is ignored, so a slow
 * tier finishing late can neither bring back nor remove what a newer revision decided.
 */
final class DatasetMembership implements Processor<String, ScoredPair, String, DatasetRecord> {
    /** Same store (and changelog) as before revisions: one-byte legacy values read as revision 0. */
    static final String STORE = "dataset-keys";

    private final Function<ScoredPair, DatasetRecord> toRecord;
    private KeyValueStore<String, Membership> members;
    private ProcessorContext<String, DatasetRecord> context;

    DatasetMembership(Function<ScoredPair, DatasetRecord> toRecord) {
        this.toRecord = toRecord;
    }

    /** The newest revision of a pair key and whether the dataset holds it. */
    record Membership(long revision, boolean present) {
    }

    static StoreBuilder<KeyValueStore<String, Membership>> store() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), membershipSerde());
    }

    @Override
    public void init(ProcessorContext<String, DatasetRecord> context) {
        this.context = context;
        this.members = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, ScoredPair> record) {
        Membership stored = members.get(record.key());
        ScoredPair scored = record.value();
        if (scored == null) { // legacy unversioned removal: removes whatever is there
            if (stored != null && stored.present()) {
                members.put(record.key(), new Membership(stored.revision(), false));
                context.forward(record.withValue(null));
            }
            return;
        }
        long revision = scored.getPair().getRevision();
        if (stored != null && revision < stored.revision()) {
            return; // an older revision than one already decided
        }
        if (scored.getAccepted() && !scored.getPair().getRemoved()) {
            members.put(record.key(), new Membership(revision, true));
            context.forward(record.withValue(toRecord.apply(scored)));
        } else {
            members.put(record.key(), new Membership(revision, false));
            if (stored != null && stored.present()) {
                context.forward(record.withValue(null));
            }
        }
    }

    static Serde<Membership> membershipSerde() {
        Serializer<Membership> ser = (topic, m) -> m == null ? null
                : ByteBuffer.allocate(9).putLong(m.revision()).put((byte) (m.present() ? 1 : 0)).array();
        Deserializer<Membership> de = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == 1) { // written before revisions existed: a Boolean "in the dataset"
                return new Membership(0, bytes[0] != 0);
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            return new Membership(b.getLong(), b.get() != 0);
        };
        return Serdes.serdeFrom(ser, de);
    }
}
