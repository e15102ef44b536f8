package dev.qastream.sink;

import dev.qastream.schemas.DatasetRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Passes a removal on only for a pair that is in the dataset. Upstream, every re-generated chunk clears
 * all the slots it does not fill and every rejected pair is a removal; without this, the dataset topic
 * would carry a tombstone for each of those keys, almost none of which ever held a pair.
 */
final class DatasetMembership implements Processor<String, DatasetRecord, String, DatasetRecord> {
    static final String STORE = "dataset-keys";

    private KeyValueStore<String, Boolean> members;
    private ProcessorContext<String, DatasetRecord> context;

    static StoreBuilder<KeyValueStore<String, Boolean>> store() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.Boolean());
    }

    @Override
    public void init(ProcessorContext<String, DatasetRecord> context) {
        this.context = context;
        this.members = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, DatasetRecord> record) {
        if (record.value() != null) {
            members.put(record.key(), Boolean.TRUE);
            context.forward(record);
        } else if (members.get(record.key()) != null) {
            members.delete(record.key());
            context.forward(record);
        }
    }
}
