package dev.qastream.runtime.serde;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Serializes again when registering (or looking up) the schema failed in transport: an IOException under
 * the registry client's exception, e.g. "HTTP/1.1 header parser received no bytes" when the registry had
 * closed the pooled keep-alive connection the request went out on.
 *
 * <p>Nothing below us retries that for a registration (Apicurio serdes 3.1.7, JDK adapter): the resolver's
 * cache ({@code ERCache.retry}, apicurio.registry.retry-count) retries only a 429 answer; the client's retry
 * proxy ({@code RegistryClientRequestAdapterFactory.RetryInvocationHandler.isRetryable}) never sees a bare
 * IOException, since the JDK adapter wraps it in a RuntimeException; and the JDK HTTP client resends a
 * request whose pooled connection was found closed only for GET and HEAD, while registering is a POST. The
 * POST is safe to repeat: auto-register asks for FIND_OR_CREATE_VERSION, so a registration that did land
 * is found, not duplicated. A registry that answers (a 4xx, a 5xx) is not retried here: no IOException.
 */
final class RegistryRetryingSerializer<T> implements Serializer<T> {
    private static final Logger log = LoggerFactory.getLogger(RegistryRetryingSerializer.class);

    /** The resolver's own defaults for the failures it does retry. */
    static final int RETRIES = (int) SchemaResolverConfig.RETRY_COUNT_DEFAULT;
    static final long BACKOFF_MS = SchemaResolverConfig.RETRY_BACKOFF_MS_DEFAULT;

    private final Serializer<T> delegate;

    RegistryRetryingSerializer(Serializer<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        delegate.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return withRetries(topic, () -> delegate.serialize(topic, data));
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        return withRetries(topic, () -> delegate.serialize(topic, headers, data));
    }

    /** Runs {@code call} again while it fails in transport, at most {@link #RETRIES} more times. */
    static <R> R withRetries(String topic, Supplier<R> call) {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                IOException transport = TransportFailure.cause(e);
                if (transport == null || attempt >= RETRIES) {
                    throw e;
                }
                log.warn("Schema registry call for {} failed in transport ({}); retrying in {} ms", topic,
                        transport, BACKOFF_MS);
                try {
                    Thread.sleep(BACKOFF_MS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() {
        delegate.close();
    }
}
