package dev.qastream.runtime.streams;

import dev.qastream.runtime.serde.Transport;
import org.apache.kafka.common.errors.RetriableException;

import java.io.IOException;

/**
 * A failure that says nothing about the record: the schema registry could not be reached, or Kafka said to try
 * again. Reading or processing the same record later can succeed, so such a record must not be dead-lettered.
 */
public final class TransientFailures {
    private TransientFailures() {
    }

    /** What makes {@code e} transient, in words, or null when it is not (the record itself is the problem). */
    public static String transientCause(Throwable e) {
        IOException transport = Transport.cause(e);
        if (transport != null) {
            return "schema registry unreachable: " + transport;
        }
        if (Transport.registryUnavailable(e)) {
            return "schema registry unavailable (5xx): " + e;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException retriable) {
                return "retriable: " + retriable;
            }
        }
        return null;
    }
}
