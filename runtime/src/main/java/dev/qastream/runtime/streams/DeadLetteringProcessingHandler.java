package dev.qastream.runtime.streams;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * A record whose processing fails (a processor throws on it, or its result cannot be serialized) goes to the app's
 * dead-letter topic, as it was read, with the reason in its headers, and the app goes on. A transient failure (the
 * registry unreachable while a result is serialized) fails the stream thread instead, so that the record is
 * processed again rather than lost: under exactly-once nothing of the failed attempt is committed.
 */
public class DeadLetteringProcessingHandler extends LogAndContinueProcessingExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetteringProcessingHandler.class);

    private DeadLetterListener listener;

    @Override
    public void configure(Map<String, ?> configs) {
        DeadLetters.requireTopic(configs);
        super.configure(configs);
        listener = DeadLetterListener.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        String transientCause = TransientFailures.transientCause(exception);
        if (transientCause != null) {
            log.warn("processing {}-{}@{} failed ({}); the stream thread is replaced and processes it again",
                    context.topic(), context.partition(), context.offset(), transientCause);
            return Response.fail();
        }
        Response response = super.handleError(context, record, exception);
        listener.deadLettered(context.topic(), context.partition(), record == null ? -1 : context.offset(), exception);
        return response;
    }
}
