package dev.qastream.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qastream.schemas.Chunk;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The catalogue of everything ingested, as Kafka Streams state: chunks are turned into one record per
 * (name, chunk) on an internal compacted topic, and every instance reads that topic into a global store, so
 * any pair can look up any name whatever partition its chunk is on.
 */
final class CatalogueStore {
    static final String TOPIC = dev.qastream.runtime.kafka.Topics.SCORING_CATALOGUE;
    static final String GLOBAL_STORE = "parameter-catalogue";
    static final String KEYS_STORE = "catalogue-keys-by-chunk";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char SEP = '\u0000';

    private CatalogueStore() {
    }

    static String key(String bareName, String chunkId) {
        return bareName + SEP + chunkId;
    }

    /** Chunk (or tombstone) in; one fact per name out, and a tombstone for each name the chunk no longer has. */
    static final class Feed implements Processor<String, Chunk, String, String> {
        private KeyValueStore<String, String> keys;
        private ProcessorContext<String, String> context;

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            this.keys = context.getStateStore(KEYS_STORE);
        }

        @Override
        public void process(Record<String, Chunk> record) {
            String chunkId = record.key();
            Set<String> now = new LinkedHashSet<>();
            if (record.value() != null) {
                for (ParameterFact f : ParameterFact.of(record.value())) {
                    String k = key(f.name(), chunkId);
                    if (now.add(k)) {
                        context.forward(record.withKey(k).withValue(json(f)));
                    }
                }
            }
            String before = keys.get(chunkId);
            if (before != null) {
                for (String k : before.split("\n")) {
                    if (!k.isEmpty() && !now.contains(k)) {
                        context.forward(record.withKey(k).withValue((String) null));
                    }
                }
            }
            if (now.isEmpty()) {
                keys.delete(chunkId);
            } else {
                keys.put(chunkId, String.join("\n", now));
            }
        }
    }

    /** Keeps the global store in step with the catalogue topic (also when restoring it). */
    static final class Updater implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, String> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(GLOBAL_STORE);
        }

        @Override
        public void process(Record<String, String> record) {
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }

    static Catalogue over(ReadOnlyKeyValueStore<String, String> store) {
        return name -> {
            List<ParameterFact> out = new ArrayList<>();
            try (KeyValueIterator<String, String> it = store.prefixScan(name + SEP, new StringSerializer())) {
                while (it.hasNext()) {
                    KeyValue<String, String> kv = it.next();
                    out.add(fact(kv.value));
                }
            }
            return out;
        };
    }

    private static String json(ParameterFact f) {
        try {
            return JSON.writeValueAsString(f);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ParameterFact fact(String json) {
        try {
            return JSON.readValue(json, ParameterFact.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable catalogue entry: " + e.getMessage(), e);
        }
    }
}
