package dev.qastream.runtime.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.qastream.runtime.Secrets;

/** A logged exception's stack trace with the process's secrets masked: its messages may quote a server's reply. */
public class RedactingThrowableConverter extends ThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy tp) {
        return Secrets.redact(super.throwableProxyToString(tp));
    }
}
