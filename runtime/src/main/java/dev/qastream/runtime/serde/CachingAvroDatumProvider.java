package dev.qastream.runtime.serde;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry serde's datum provider, with one writer per schema kept: the default provider computes
 * the schema's parsing fingerprint on every record to look its writer up, which was more than half of
 * the serialization time measured in the ingest benchmark.
 */
public final class CachingAvroDatumProvider<T> extends DefaultAvroDatumProvider<T> {
    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();

    public CachingAvroDatumProvider() {
        super(true);
    }

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        // Avro caches a schema's hash code, and the generated classes share one schema instance,
        // so this lookup is a hash probe and an identity check.
        return writers.computeIfAbsent(schema, s -> super.createDatumWriter(data, s));
    }
}
