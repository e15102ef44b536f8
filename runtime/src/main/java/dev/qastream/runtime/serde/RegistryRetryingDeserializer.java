package dev.qastream.runtime.serde;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.Map;

/**
 * Deserializes again when looking up a schema the reader has not seen failed in transport (see
 * {@link RegistryRetryingSerializer}). The JDK client resends a GET once on a stale pooled connection; past that,
 * the consumer would see the record as unreadable, and a worker skips unreadable records: a request lost to a
 * registry that blinked.
 */
final class RegistryRetryingDeserializer<T> implements Deserializer<T> {
    private final Deserializer<T> delegate;

    RegistryRetryingDeserializer(Deserializer<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        delegate.configure(configs, isKey);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return RegistryRetryingSerializer.withRetries(topic, () -> delegate.deserialize(topic, data));
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        return RegistryRetryingSerializer.withRetries(topic, () -> delegate.deserialize(topic, headers, data));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
