package dev.qastream.runtime.serde;

import com.microsoft.kiota.ApiException;

import java.io.IOException;

/**
 * Tells a registry that could not be reached, or answered that it cannot serve now (a 5xx), from data that
 * cannot be read: the first is retried without moving on, the second goes to a dead-letter topic.
 */
public final class Transport {
    private Transport() {
    }

    /**
     * The first network IOException among the causes (a plain IOException, as the JDK client raises for a closed
     * connection, or one of java.net's: connection refused, timed out), or null. An EOFException of a truncated
     * record is bad data, not transport.
     */
    public static IOException cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException io
                    && (io.getClass() == IOException.class || io.getClass().getPackageName().startsWith("java.net"))) {
                return io;
            }
        }
        return null;
    }

    /**
     * True when a serde failed because the registry is unreachable or unavailable (a transport IOException, or
     * an HTTP 5xx answer such as 503 while it starts): the same bytes may read fine a moment later.
     */
    public static boolean registryUnavailable(Throwable e) {
        if (cause(e) != null) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApiException api && api.getResponseStatusCode() >= 500) {
                return true;
            }
        }
        return false;
    }
}
