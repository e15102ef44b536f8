package dev.qastream.runtime.serde;

import java.io.IOException;

/**
 * Tells a failure to reach the schema registry (transient: the registry is down or restarting, a pooled connection
 * was closed) from a record that cannot be read (permanent: retrying reads the same bytes again).
 */
public final class TransportFailure {
    private TransportFailure() {
    }

    /**
     * The first network IOException among the causes (a plain IOException, as the JDK client raises for a closed
     * connection, or one of java.net's), or null: an EOFException of a truncated record is bad data, not transport.
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
}
