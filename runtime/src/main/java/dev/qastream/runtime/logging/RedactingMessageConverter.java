package dev.qastream.runtime.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.qastream.runtime.Secrets;

/** {@code %msg} with the process's secrets masked: a library may log what a server answered, key included. */
public class RedactingMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Secrets.redact(super.convert(event));
    }
}
