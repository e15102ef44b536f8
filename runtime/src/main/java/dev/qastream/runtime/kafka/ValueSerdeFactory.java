package dev.qastream.runtime.kafka;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Makes the value serde of an Avro record type: registry-backed in services, plain Avro in topology tests. */
@FunctionalInterface
public interface ValueSerdeFactory {
    <T extends SpecificRecord> Serde<T> serde(Class<T> type);
}
