package dev.qastream.sink;

import java.io.IOException;

/**
 * Tells a registry that could not be reached from a record that cannot be read. The same rule as the runtime's
 * retrying serdes: a plain IOException (as the JDK HTTP client raises for a closed connection) or one of java.net's
 * (refused, reset, timed out) among the causes is transport; anything else (an unknown schema id, bytes that are
 * not Avro, a truncated record's EOFException) is the record's own fault.
 */
final class RegistryFailure {
    private RegistryFailure() {
    }

    /** The first transport IOException among the causes, or null. */
    static IOException transportCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException io
                    && (io.getClass() == IOException.class || io.getClass().getPackageName().startsWith("java.net"))) {
                return io;
            }
        }
        return null;
    }
}
