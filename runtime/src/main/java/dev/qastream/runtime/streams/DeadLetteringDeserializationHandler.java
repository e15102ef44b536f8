package dev.qastream.runtime.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * A record that cannot be read goes to the app's dead-letter topic, as it was, with the reason in its headers
 * ({@code __streams.errors.*}), and the app goes on; without this, the stream thread dies on it, is replaced, reads
 * it again, and never gets past. A failure to reach the schema registry is not a bad record: then the thread fails
 * and is replaced and reads the same record again, which is right while the registry restarts.
 */
public class DeadLetteringDeserializationHandler extends LogAndContinueExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(DeadLetteringDeserializationHandler.class);

    private DeadLetterListener listener;

    @Override
    public void configure(Map<String, ?> configs) {
        DeadLetters.requireTopic(configs);
        super.configure(configs);
        listener = DeadLetterListener.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String transientCause = TransientFailures.transientCause(exception);
        if (transientCause != null) {
            log.warn("{}-{}@{} could not be read ({}); the stream thread is replaced and reads it again",
                    record.topic(), record.partition(), record.offset(), transientCause);
            return Response.fail();
        }
        Response response = super.handleError(context, record, exception);
        listener.deadLettered(record.topic(), record.partition(), record.offset(), exception);
        return response;
    }
}
