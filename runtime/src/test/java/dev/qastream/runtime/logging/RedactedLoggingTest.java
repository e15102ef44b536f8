package dev.qastream.runtime.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.qastream.runtime.Secrets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The services' log configuration (logback.xml) masks the secrets the process holds. */
class RedactedLoggingTest {
    private static final String KEY = "sk-test-0123456789abcdef";

    @Test
    void theConfiguredLogLineMasksASecretInTheMessageItsArgumentsAndTheStackTrace() {
        // Given an API key read by this process
        Secrets.remember(KEY);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) root.getAppender("STDOUT");

        // When a library logs a server's error that quotes the key, in its text, an argument and a cause
        RuntimeException error = new RuntimeException("HTTP 401: Incorrect API key provided: " + KEY,
                new IOException("sent Authorization: Bearer " + KEY));
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger("some.client"), Level.WARN,
                "call failed with key " + KEY + ": {}", error, new Object[] {"answer quoting " + KEY});
        String line = new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);

        // Then the line says what happened, without the key
        assertThat(line).contains("Incorrect API key provided: " + Secrets.MASK, "answer quoting " + Secrets.MASK,
                "Bearer " + Secrets.MASK, "RuntimeException").doesNotContain(KEY);
    }

    @Test
    void shortOrBlankValuesAreNotTakenForSecrets() {
        Secrets.remember("");
        Secrets.remember(null);
        Secrets.remember("none");
        assertThat(Secrets.redact("local servers take none as a key")).isEqualTo("local servers take none as a key");
    }
}
